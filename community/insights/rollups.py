"""The listening report's daily rows (``DailyMetric``), computed from one
day's mentions with the community's other aggregates
(``aggregates.compute_day``), so the report reads a few thousand rows for a
year instead of the mentions themselves:

``listening``
    Mentions per group, source, language and sentiment: key
    ``<group id>:<source id or 0 for the site>:<language or ->:<sentiment>``.
``listening_terms``
    In how many mentions a term occurs, per group and language: key
    ``<group id>:<language or ->:<term>``; the day's TERMS_PER_DAY most
    frequent terms of each group and language. Summed per week and per
    month too (``aggregates.ROLLED_UP``).
``listening_authors``
    The authors with the largest reach, per group and source: key
    ``<group id>:<source id or 0>:<author>``, value the largest reach seen
    that day; the day's AUTHORS_PER_DAY far-reaching authors of each group.
"""

from collections import Counter, defaultdict

from django.db.models import Count, Max

from community.insights.models import Mention
from community.insights.segmentation import terms

TERMS_PER_DAY = 40
AUTHORS_PER_DAY = 10
#: DailyMetric.value is a 32-bit integer.
MAX_VALUE = 2**31 - 1
KEY_LENGTH = 100
METRICS = ("listening", "listening_terms", "listening_authors")


def language_key(language):
    return (language or "-").replace(":", "")[:8]


def mention_key(group_id, origin_id, language, sentiment):
    return f"{group_id}:{origin_id or 0}:{language_key(language)}:{sentiment}"


def parse_mention_key(key):
    """(group id, source id or 0, language or "", sentiment) of a key."""
    group, origin, language, sentiment = key.split(":", 3)
    return group, origin, "" if language == "-" else language, sentiment


def listening_rows(start, end):
    """{(metric, key): value} of the mentions created in [start, end)."""
    rows = {}
    mentions = Mention.objects.filter(created_at__gte=start, created_at__lt=end)
    counts = mentions.values("group_id", "origin_id", "language", "sentiment")
    for row in counts.annotate(n=Count("pk")).order_by():
        key = mention_key(
            row["group_id"], row["origin_id"], row["language"], row["sentiment"]
        )
        rows[("listening", key)] = rows.get(("listening", key), 0) + row["n"]

    per_group = defaultdict(Counter)
    texts = mentions.values_list("group_id", "language", "excerpt").order_by()
    for group_id, language, text in texts.iterator(chunk_size=2000):
        per_group[(group_id, language_key(language))].update(terms(text))
    for (group_id, language), counter in per_group.items():
        for term, value in counter.most_common(TERMS_PER_DAY):
            key = f"{group_id}:{language}:{term}"[:KEY_LENGTH]
            rows[("listening_terms", key)] = value

    authors = (
        mentions.exclude(author="")
        .filter(reach__isnull=False)
        .values("group_id", "origin_id", "author")
        .annotate(reach=Max("reach"))
        .order_by("group_id", "-reach", "author")
    )
    kept = Counter()
    for row in authors:
        if kept[row["group_id"]] >= AUTHORS_PER_DAY or not row["reach"]:
            continue
        kept[row["group_id"]] += 1
        key = f"{row['group_id']}:{row['origin_id'] or 0}:{row['author']}"
        rows[("listening_authors", key[:KEY_LENGTH])] = min(row["reach"], MAX_VALUE)
    return rows
