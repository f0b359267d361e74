"""Article page latency with 0, 100 and 1000 comments (run by hand).

    .venv/bin/python bench/comments_page.py            # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_comments \\
        .venv/bin/python bench/comments_page.py        # PostgreSQL

Builds the demo site in a fresh database, gives three articles 0, 100 and
1000 comments (a third top-level threads, replies two levels deep, likes),
then times full GETs of each article through Django's test client, for an
anonymous visitor and a signed-in member. Prints a Markdown table for
bench/RESULTS.md.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import RUNS, measure, setup_django  # noqa: E402

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SIZES = (0, 100, 1000)


def build():
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from community.comments.models import Comment, CommentReaction
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
    articles = list(ArticlePage.objects.live().filter(locale__language_code="en")[:3])
    for article, size in zip(articles, SIZES, strict=True):
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
    return list(zip(SIZES, articles, strict=True)), members[0]


def main():
    setup_test_environment()
    pages, member = build()
    rows = []
    for who in ("anonymous", "signed in"):
        client = Client()
        if who == "signed in":
            client.force_login(member)
        for size, article in pages:
            median, worst, count = measure(client, article.url)
            rows.append((size, who, median, worst, count))
    engine = connection.vendor
    print(f"\nArticle page, {engine}, {RUNS} runs each (median / max ms, queries):\n")
    print("| comments | visitor | median ms | max ms | queries |")
    print("|---:|---|---:|---:|---:|")
    for size, who, median, worst, count in rows:
        print(f"| {size} | {who} | {median:.1f} | {worst:.1f} | {count} |")


if __name__ == "__main__":
    main()
