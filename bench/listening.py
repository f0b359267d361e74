"""The listening report's latency with a million mentions from the site and
six external sources (run by hand).

    .venv/bin/python bench/listening.py                 # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_listening \\
        .venv/bin/python bench/listening.py             # PostgreSQL

Migrates a fresh database (or reuses one with BENCH_REUSE=1), creates four
keyword groups (brand, product, competitor, industry) and six sources, then
inserts BENCH_MENTIONS mentions over 365 days with one INSERT … SELECT per
batch: 36 English and Chinese texts analysed by the real matching and
sentiment code, 20,000 authors with a reach, a sixth of the mentions from the
site. Then the daily aggregation of the 366 days once (what the nightly task
does; it segments every mention for the term counts), and times full GETs of
the report through Django's test client as a superuser. Prints a Markdown
table for bench/RESULTS.md.
"""

import datetime
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import RUNS, measure, setup_django  # noqa: E402

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from community.insights.aggregates import refresh_range  # noqa: E402
from community.insights.listening import excerpt, matching_groups  # noqa: E402
from community.insights.models import (  # noqa: E402
    DailyMetric,
    ExternalPost,
    KeywordGroup,
    Mention,
    Source,
)
from community.insights.segmentation import language_of  # noqa: E402
from community.insights.sentiment import sentiment  # noqa: E402
from socialsite.website.management.commands.seed_insights import (  # noqa: E402
    case,
    series,
)

MENTIONS = int(os.environ.get("BENCH_MENTIONS", "1000000"))
BATCH = 100_000
AUTHORS = 20_000
GROUPS = [
    ("Cloudmist Tea", "brand", "Cloudmist", "云雾"),
    ("Longjing", "product", "Longjing\nDragon Well", "龙井"),
    ("Jade Leaf", "competitor", "Jade Leaf", "玉叶"),
    ("Tea market", "industry", "tea prices\ngreen tea", "茶叶市场\n绿茶"),
]
SOURCES = [
    ("Weibo search", "weibo"),
    ("Tea news (RSS)", "rss"),
    ("Mastodon #tea", "mastodon"),
    ("Bluesky search", "bluesky"),
    ("Reddit r/tea", "reddit"),
    ("Monitoring import", "import"),
]
TEXTS = [
    "Cloudmist's Longjing is the best green tea I have had this year.",
    "The tin arrived damaged, Cloudmist support was slow.",
    "Jade Leaf was cheaper but the leaves arrived stale.",
    "Cloudmist opens a shop in Shanghai next month.",
    "Dragon Well from Cloudmist: lovely aroma, will buy again.",
    "Jade Leaf raised tea prices again, not happy.",
    "Green tea exports grew this spring, says the report.",
    "Is Cloudmist worth it? Thinking about a gift box.",
    "Terrible delivery from Jade Leaf, never again.",
    "Cloudmist and Jade Leaf both sell Longjing; which is better?",
    "Tea prices keep rising after the frost.",
    "Cloudmist customer service fixed my order within an hour, great!",
    "I ordered Longjing from Cloudmist on Monday.",
    "Jade Leaf's new packaging looks great.",
    "Cloudmist recall: a batch of tins had mould, refund offered.",
    "Green tea festival this weekend, Cloudmist has a stand.",
    "Awful taste, this Cloudmist Longjing was stale.",
    "Jade Leaf sponsors the green tea fair.",
    "云雾的龙井真香，回购第三次了。",
    "云雾客服态度很差，退款拖了一个月。",
    "玉叶的茶太贵了，有点失望。",
    "今年绿茶价格上涨，茶叶市场很热。",
    "云雾新开了一家门店，在南京路。",
    "西湖龙井茶还是云雾的好喝，推荐！",
    "玉叶的包装很漂亮，送人很有面子。",
    "云雾的快递太慢了，等了一个星期。",
    "茶叶市场今年竞争激烈，玉叶降价促销。",
    "请问云雾的龙井适合多少度的水？",
    "云雾的茶叶有霉味，太失望了。",
    "玉叶的服务很好，问题很快解决了。",
    "绿茶节这周末开幕，云雾和玉叶都参加。",
    "云雾龙井茶性价比很高，强烈推荐。",
    "玉叶被曝使用过期茶叶，消费者很愤怒。",
    "云雾今天发布了新品白茶。",
    "买了云雾的龙井，味道一般般。",
    "茶叶市场价格回落，绿茶便宜了。",
]

REPORTS = [
    ("Listening, last 30 days", "/admin/insights/listening/"),
    (
        "Listening, 365 days per week",
        "/admin/insights/listening/?start={year}&granularity=week",
    ),
    (
        "Listening, 365 days, Weibo, Chinese, negative",
        "/admin/insights/listening/?start={year}&granularity=week"
        "&source={weibo}&language=zh&sentiment=negative",
    ),
    (
        "Listening, 365 days, one competitor, page 50 of mentions",
        "/admin/insights/listening/?start={year}&granularity=week"
        "&group={rival}&page=50",
    ),
    (
        "Listening CSV, 365 days per day",
        "/admin/insights/listening/?start={year}&export=csv",
    ),
]


def analysed_texts(groups):
    """[(text, group ids, sentiment, language)] as the site would store
    them."""
    rows = []
    for text in TEXTS:
        language = language_of(text)
        found = [group.pk for group in matching_groups(text, groups)]
        assert found, text
        rows.append((excerpt(text), found, sentiment(text, language), language))
    return rows


def seed():
    groups = [
        KeywordGroup.objects.create(name=n, kind=k, keywords_en=en, keywords_zh=zh)
        for n, k, en, zh in GROUPS
    ]
    sources = [Source.objects.create(name=n, connector=c) for n, c in SOURCES]
    texts = analysed_texts(groups)
    # One row per (text, group): the "slot" a mention number falls into.
    slots = [
        (text, group, mood, lang) for text, ids, mood, lang in texts for group in ids
    ]
    content_type = ContentType.objects.get_for_model(ExternalPost).pk
    end_ts = int(timezone.now().timestamp())
    step = 365 * 86400 / MENTIONS
    origins = [None, *(source.pk for source in sources)]
    for offset in range(0, MENTIONS, BATCH):
        size = min(BATCH, MENTIONS - offset)
        n = f"(g.i + {offset})"
        slot = f"({n} * 7 %% {len(slots)})"
        text_sql, text_params = case(slot, [s[0] for s in slots])
        group_sql, group_params = case(slot, [s[1] for s in slots])
        mood_sql, mood_params = case(slot, [s[2] for s in slots])
        lang_sql, lang_params = case(slot, [s[3] for s in slots])
        origin = f"({n} %% {len(origins)})"
        origin_sql, origin_params = case(origin, origins)
        author = (
            f"(CASE WHEN {origin} = 0 THEN '' ELSE 'user' || ({n} %% {AUTHORS}) END)"
        )
        reach = (
            f"(CASE WHEN {origin} = 0 THEN NULL "
            f"ELSE ({n} %% {AUTHORS}) * ({n} %% {AUTHORS}) %% 1000003 END)"
        )
        if connection.vendor == "postgresql":
            when = f"to_timestamp({end_ts} - {n} * {step})"
            object_id = f"CAST({n} AS text)"
            url = f"'https://example.org/item/' || {n}"
        else:
            when = f"datetime({end_ts} - {n} * {step}, 'unixepoch')"
            object_id = f"CAST({n} AS TEXT)"
            url = f"'https://example.org/item/' || {n}"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Mention._meta.db_table} (object_id, created_at, "  # noqa: S608 (numbers and our names)
                "sentiment, excerpt, content_type_id, group_id, origin_id, "
                "language, reach, author, url) "
                f"SELECT {object_id}, {when}, {mood_sql}, {text_sql}, "
                f"{content_type}, {group_sql}, {origin_sql}, {lang_sql}, "
                f"{reach}, {author}, (CASE WHEN {origin} = 0 THEN '' ELSE {url} END) "
                f"FROM {series(size)}",
                mood_params + text_params + group_params + origin_params + lang_params,
            )
        print(f"  {offset + size} mentions", flush=True)


def build():
    call_command("migrate", verbosity=0, interactive=False)
    if os.environ.get("BENCH_REUSE") and Mention.objects.count() >= MENTIONS:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return 0.0, 0.0
    get_user_model().objects.filter(username="bench").delete()
    get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
    started = time.monotonic()
    seed()
    seeded = time.monotonic() - started
    today = timezone.localdate()
    started = time.monotonic()
    refresh_range(today - datetime.timedelta(days=366), today)
    # Fresh statistics, as autovacuum (PostgreSQL) would have after a bulk
    # load: without them the planner misjudges the new rows.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return seeded, time.monotonic() - started


def main():
    seeding, aggregation = build()
    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    year = (timezone.localdate() - datetime.timedelta(days=364)).isoformat()
    weibo = Source.objects.get(name="Weibo search").pk
    rival = KeywordGroup.objects.get(name="Jade Leaf").pk
    print(
        f"\n{connection.vendor}: {Mention.objects.count()} mentions, "
        f"{DailyMetric.objects.filter(metric__startswith='listening').count()} "
        f"listening rows; seeding {seeding:.0f} s, aggregation {aggregation:.0f} s; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"{RUNS} runs each\n"
    )
    print("| Report | p50 (ms) | max (ms) | queries |")
    print("|---|---:|---:|---:|")
    for label, url in REPORTS:
        median, worst, queries = measure(
            client, url.format(year=year, weibo=weibo, rival=rival)
        )
        print(f"| {label} | {median:.0f} | {worst:.0f} | {queries} |")


if __name__ == "__main__":
    main()
