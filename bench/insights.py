"""Insights reports' latency with a million comments and a million share
counters (run by hand).

    .venv/bin/python bench/insights.py                 # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_insights \\
        .venv/bin/python bench/insights.py             # PostgreSQL

Builds the demo site in a fresh database (or reuses one with BENCH_REUSE=1),
seeds BENCH_COMMENTS comments and BENCH_SHARES share-count rows over a year
(``manage.py seed_insights``: bulk INSERT … SELECT, then the daily aggregation
once), then times full GETs of each report through Django's test client as a
superuser. Prints a Markdown table for bench/RESULTS.md.
"""

import datetime
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import RUNS, measure, setup_django, timed  # noqa: E402

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from community.comments.models import Comment  # noqa: E402
from community.insights.aggregates import refresh_days  # noqa: E402
from community.insights.models import DailyMetric  # noqa: E402
from sharing.models import ShareCount  # noqa: E402

COMMENTS = int(os.environ.get("BENCH_COMMENTS", "1000000"))
SHARES = int(os.environ.get("BENCH_SHARES", "1000000"))

REPORTS = [
    ("Admin home (insights + shares panels)", "/admin/"),
    ("Engagement, last 30 days per day", "/admin/insights/"),
    ("Engagement, 365 days per week", "/admin/insights/?start={year}&granularity=week"),
    ("Engagement CSV, 365 days per day", "/admin/insights/?start={year}&export=csv"),
    ("Listening, last 30 days", "/admin/insights/listening/"),
    (
        "Listening, 365 days per week",
        "/admin/insights/listening/?start={year}&granularity=week",
    ),
]


def build():
    call_command("migrate", verbosity=0, interactive=False)
    if os.environ.get("BENCH_REUSE") and Comment.objects.count() >= COMMENTS:
        return 0.0
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    started = time.monotonic()
    call_command("seed_insights", comments=COMMENTS, shares=SHARES, stdout=sys.stdout)
    return time.monotonic() - started


def main():
    seeding = build()
    setup_test_environment()
    user = get_user_model().objects.get(username="editor")
    client = Client()
    client.force_login(user)
    year = (timezone.localdate() - datetime.timedelta(days=364)).isoformat()
    print(
        f"\n{connection.vendor}: {Comment.objects.count()} comments, "
        f"{ShareCount.objects.count()} share-count rows, "
        f"{DailyMetric.objects.count()} daily aggregate rows; seeding + "
        f"aggregation {seeding:.0f} s; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, {RUNS} runs each\n"
    )
    print("| Report | p50 (ms) | max (ms) |")
    print("|---|---:|---:|")
    for label, url in REPORTS:
        median, worst, _queries = measure(client, url.format(year=year))
        print(f"| {label} | {median:.0f} | {worst:.0f} |")
    # What a write (a comment, a like, a post) costs the insights once its
    # transaction commits: its day's rows recomputed, its week's and month's
    # sums shifted.
    today = timezone.localdate()
    median, worst = timed(lambda: refresh_days([today]))
    print(f"| Write path: refresh of today's aggregates | {median:.0f} | {worst:.0f} |")


if __name__ == "__main__":
    main()
