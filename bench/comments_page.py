"""Article page latency with 0, 100, 300 and 1000 comments (run by hand).

    .venv/bin/python bench/comments_page.py            # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_comments \\
        .venv/bin/python bench/comments_page.py        # PostgreSQL

Builds the demo site in a fresh database, gives four articles 0, 100, 300
and 1000 comments (a third top-level threads, replies two levels deep, likes),
then times full GETs of each article through Django's test client, for an
anonymous visitor and a signed-in member. Prints a Markdown table for
bench/RESULTS.md, and the budget of issue 13: the signed-in article with 300
comments against the article without comments (time ratio at most 1.5, at
most 5 more queries).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import RUNS, measure, setup_django  # noqa: E402

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SIZES = (0, 100, 300, 1000)


def build():
    """The demo site and five verified members; returns the articles that
    get 0, 100, 300 and 1000 comments, and the members."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from community.comments.models import Comment
    from socialsite.website.models import ArticlePage

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    Comment.objects.all().delete()
    User = get_user_model()
    members = []
    for n in range(5):
        user, _ = User.objects.get_or_create(
            username=f"bench{n}", defaults={"email": f"bench{n}@example.com"}
        )
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        members.append(user)
    articles = list(
        ArticlePage.objects.live().filter(locale__language_code="en")[: len(SIZES)]
    )
    return list(zip(SIZES, articles, strict=True)), members


def add_comments(article, size, members):
    """`size` comments: a third top-level threads, replies two levels deep,
    each liked by the first member (the signed-in visitor)."""
    from community.comments.models import Comment, CommentReaction

    made = 0
    while made < size:
        parent = None
        for level in range(3):
            if made >= size:
                break
            comment = Comment(
                content_object=article,
                site_id=1,
                user=members[(made + level) % 5],
                user_name="bench",
                user_email="bench@example.com",
                comment=f"Comment {made}: *tasty* tea, see https://tea.example",
                parent_id=parent.pk if parent else 0,
                like_count=1,
            )
            comment.save()
            CommentReaction.objects.create(comment=comment, user=members[0])
            parent = comment
            made += 1


def paired(client, first, second, runs=RUNS):
    """Median ms of GETs of `first` and of `second`, taken alternately (so
    that a busy machine slows both alike); their ratio second / first."""
    first_ms, second_ms = [], []
    for url in (first, second):
        client.get(url)
    for _ in range(runs):
        for url, timings in ((first, first_ms), (second, second_ms)):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return statistics.median(first_ms), statistics.median(second_ms)


# Rendering is measured: anonymous pages would otherwise come from the page
# cache (bench/spike.py measures that).
@override_settings(SHARING_PAGE_CACHE=False)
def main():
    setup_test_environment()
    pages, members = build()
    member = Client()
    member.force_login(members[0])
    empty_url, full_url = pages[0][1].url, pages[SIZES.index(300)][1].url
    # The two articles before any comment: how alike their pages are.
    before = paired(member, empty_url, full_url)
    for size, article in pages:
        add_comments(article, size, members)
    rows = []
    for who in ("anonymous", "signed in"):
        client = Client()
        if who == "signed in":
            client.force_login(members[0])
        for size, article in pages:
            median, worst, count = measure(client, article.url)
            rows.append((size, who, median, worst, count))
    after = paired(member, empty_url, full_url)
    engine = connection.vendor
    print(f"\nArticle page, {engine}, {RUNS} runs each (median / max ms, queries):\n")
    print("| comments | visitor | median ms | max ms | queries |")
    print("|---:|---|---:|---:|---:|")
    for size, who, median, worst, count in rows:
        print(f"| {size} | {who} | {median:.1f} | {worst:.1f} | {count} |")
    queries = {size: count for size, who, _, _, count in rows if who == "signed in"}
    print(
        "\nSigned in, the article with 300 comments against the article without"
        f" (GETs taken alternately, median ms):\n"
        f"- before any comment: {before[0]:.1f} / {before[1]:.1f} ms"
        f" (x{before[1] / before[0]:.2f})\n"
        f"- with 300 comments: {after[0]:.1f} / {after[1]:.1f} ms"
        f" (x{after[1] / after[0]:.2f}, budget 1.5)\n"
        f"- queries: {queries[300]} against {queries[0]}"
        f" (+{queries[300] - queries[0]}, budget +5)"
    )


if __name__ == "__main__":
    main()
