"""The CJK tokenizer now lives in the community app (listening uses it too)."""

from community.cjk import CJK_RUN, cjk_index_terms, cjk_query, has_cjk

__all__ = ["CJK_RUN", "cjk_index_terms", "cjk_query", "has_cjk"]
