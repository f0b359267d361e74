"""Search for Chinese text without spaces.

Full-text backends split words on spaces and punctuation, so a run of Chinese
characters becomes a single token: searching "龙井" would not find "西湖龙井".
Like Lucene's CJK analyzer, we index every CJK run as its single characters and
its overlapping pairs, and turn a query's runs into pairs (or a lone character),
all of which must match.
"""

import re

from django.utils.html import strip_tags

CJK_RUN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+"
)


def cjk_index_terms(text):
    """Unigrams and bigrams of every CJK run in `text`, space-separated."""
    terms = []
    for run in CJK_RUN.findall(strip_tags(text or "")):
        terms.extend(run)
        terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(terms)


def cjk_query(query):
    """The query with each CJK run replaced by its bigrams (a single character
    stays as it is); Latin words are kept."""

    def pairs(match):
        run = match.group(0)
        if len(run) == 1:
            return f" {run} "
        return " " + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + " "

    return " ".join(CJK_RUN.sub(pairs, query).split())


def has_cjk(text):
    return bool(CJK_RUN.search(text or ""))
