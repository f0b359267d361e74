"""Board page and community feed latency with 100,000 posts (run by hand).

    .venv/bin/python bench/posts.py                     # SQLite in a temp dir
    createdb -h 127.0.0.1 -U postgres bench_posts       # an empty database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_posts \\
        .venv/bin/python bench/posts.py                 # PostgreSQL

Builds the demo site in a fresh database (or reuses one that already holds
the posts, with BENCH_REUSE=1), adds BENCH_POSTS (default 100,000)
published posts spread over the demo boards (likes, comment counts and a tag
on every tenth post), then times full GETs through Django's test client as a
signed-in member: the board page (latest, most liked, most discussed, a tag,
a deep page) and the site-wide feed. Prints a Markdown table for
bench/RESULTS.md; p50 is the median of BENCH_RUNS runs.
"""

import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import RUNS, measure, setup_django  # noqa: E402

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

POSTS = int(os.environ.get("BENCH_POSTS", "100000"))
BATCH = 5000


def build():
    from django.contrib.auth import get_user_model
    from taggit.models import Tag

    from community.posts.models import CommunityBoardPage, Post, PostTag

    call_command("migrate", verbosity=0, interactive=False)
    if os.environ.get("BENCH_REUSE") and Post.objects.count() >= POSTS:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        board = CommunityBoardPage.objects.get(
            slug="stories", locale__language_code="en"
        )
        return board, get_user_model().objects.order_by("pk").first()
    if Post.objects.exists():
        sys.exit("bench/posts.py needs an empty database (or BENCH_REUSE=1).")
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    boards = list(CommunityBoardPage.objects.live())
    authors = list(get_user_model().objects.all()[:5])
    tag, _created = Tag.objects.get_or_create(name="bench", slug="bench")
    now = timezone.now()
    made = 0
    while made < POSTS:
        rows = []
        for n in range(made, min(made + BATCH, POSTS)):
            when = now - timezone.timedelta(minutes=n)
            rows.append(
                Post(
                    board=boards[n % len(boards)],
                    author=authors[n % len(authors)],
                    kind="story",
                    state="published",
                    title=f"Bench post {n}",
                    body=f"Post {n} about *tea*.",
                    body_html=f"<p>Post {n} about <em>tea</em>.</p>",
                    like_count=n % 97,
                    comment_count=n % 31,
                    view_count=n % 1000,
                    created_at=when,
                    published_at=when,
                    language="en",
                )
            )
        created = Post.objects.bulk_create(rows)
        if connection.vendor != "postgresql":  # SQLite returns no pks before 3.35
            created = list(Post.objects.order_by("-pk")[: len(rows)])
        PostTag.objects.bulk_create(
            [PostTag(tag=tag, content_object=post) for post in created[::10]]
        )
        made += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    board = CommunityBoardPage.objects.get(slug="stories", locale__language_code="en")
    return board, authors[0]


def main():
    setup_test_environment()
    started = time.perf_counter()
    board, member = build()
    seeded = time.perf_counter() - started
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 bench")
    client.force_login(member)
    urls = [
        ("board, latest", board.url),
        ("board, most liked", board.url + "?sort=liked"),
        ("board, most discussed", board.url + "?sort=discussed"),
        ("board, tag", board.url + "?tag=bench"),
        ("board, page 500", board.url + "?page=500"),
        ("feed, latest", "/en/community/posts/"),
        ("feed, most liked", "/en/community/posts/?sort=liked"),
    ]
    rows = [(label, *measure(client, url)) for label, url in urls]
    print(
        f"\nCommunity posts, {connection.vendor}, {POSTS:,} posts "
        f"(seeded in {seeded:.0f} s), {RUNS} runs each, "
        f"{platform.machine()} {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d', time.gmtime())}:\n"
    )
    print("| page | p50 ms | max ms | queries |")
    print("|---|---:|---:|---:|")
    for label, median, worst, count in rows:
        print(f"| {label} | {median:.1f} | {worst:.1f} | {count} |")


if __name__ == "__main__":
    main()
