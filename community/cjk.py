"""Search for Chinese text without spaces, and the words of a visitor's search.

Full-text backends split words on spaces and punctuation, so a run of Chinese
characters becomes a single token: searching "龙井" would not find "西湖龙井".
Like Lucene's CJK analyzer, we index every CJK run as its single characters and
its overlapping pairs, and turn a query's runs into pairs (or a lone character),
all of which must match.

A visitor's search is hostile text. Wagtail's database backend hands its words
to the database's own query language (FTS5 on SQLite, where quotes, ``OR``,
``NEAR(``, ``*`` and ``column:`` are syntax; ``to_tsquery`` on PostgreSQL), and
combines them in a nested expression whose depth grows with their number. So
`search` sends only plain words: runs of letters and digits (punctuation, NUL
bytes and other control characters are separators), from the first
`MAX_QUERY_LENGTH` characters, at most `MAX_TERMS` different words. A query of
300 Chinese characters is thus its first 20 different pairs, not 299 nested
terms (a RecursionError on PostgreSQL).
"""

import re

from django.utils.html import strip_tags

CJK_RUN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+"
)
WORD = re.compile(r"\w+")

MAX_QUERY_LENGTH = 100
MAX_TERMS = 20


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


def search_terms(text):
    """The plain words to search for in a visitor's `text`: CJK runs as pairs,
    other words as they are, no syntax of any backend, without repeats, at
    most MAX_TERMS of them from the first MAX_QUERY_LENGTH characters."""
    words = WORD.findall(cjk_query((text or "")[:MAX_QUERY_LENGTH]))
    return list(dict.fromkeys(words))[:MAX_TERMS]


def search(queryset, text):
    """`queryset.search()` for a visitor's `text`, safe on every backend: the
    results, or an empty queryset when `text` has no words. With Chinese all
    pairs must match; other words are searched with the backend's default
    operator."""
    text = (text or "")[:MAX_QUERY_LENGTH]
    terms = search_terms(text)
    if not terms:
        return queryset.none()
    if has_cjk(text):
        return queryset.search(" ".join(terms), operator="and")
    return queryset.search(" ".join(terms))
