"""What bench/spike.py measures, built in a process of its own on the spike's
settings (the demo site must be loaded): the URLs of the pages, two copies of
one demo article (one gets 300 comments, the other none) and the session of a
signed-in member. Prints them as JSON on its last line. Idempotent."""

import json
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from community.comments.models import Comment, CommentReaction  # noqa: E402
from community.posts.models import CommunityBoardPage  # noqa: E402
from socialsite.website.models import ArticlePage, ProductPage  # noqa: E402

COMMENTS = 300


def path_of(page):
    return page.get_url_parts()[2]


def english(model):
    return model.objects.live().public().filter(locale__language_code="en")


def members():
    """Five members with a confirmed address; the first is the visitor."""
    made = []
    for n in range(5):
        user, _ = get_user_model().objects.get_or_create(
            username=f"spike{n}", defaults={"email": f"spike{n}@example.com"}
        )
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        made.append(user)
    return made


def article_copy(source, slug):
    """A live copy of `source` (same body and picture) without comments."""
    existing = ArticlePage.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    copy = source.copy(
        to=source.get_parent(),
        update_attrs={"slug": slug},
        copy_revisions=False,
        keep_live=True,
    )
    copy.save_revision().publish()
    return ArticlePage.objects.get(pk=copy.pk)


def add_comments(article, size, people):
    """`size` comments: a third top-level threads with replies two levels
    deep, each liked by the signed-in member (as bench/comments_page.py)."""
    made = Comment.objects.for_model(article).count()
    with transaction.atomic():
        while made < size:
            parent = None
            for level in range(3):
                if made >= size:
                    break
                comment = Comment(
                    content_object=article,
                    site_id=settings.SITE_ID,
                    user=people[(made + level) % len(people)],
                    user_name="spike",
                    user_email="spike@example.com",
                    comment=f"Comment {made}: *tasty* tea, see https://tea.example",
                    parent_id=parent.pk if parent else 0,
                    like_count=1,
                )
                comment.save()
                CommentReaction.objects.create(comment=comment, user=people[0])
                parent = comment
                made += 1


def main():
    article = english(ArticlePage).exclude(slug__startswith="spike-").first()
    product = english(ProductPage).first()
    board = english(CommunityBoardPage).first()
    people = members()
    empty = article_copy(article, "spike-no-comments")
    full = article_copy(article, "spike-300-comments")
    Comment.objects.for_model(empty).delete()
    add_comments(full, COMMENTS, people)
    client = Client()
    client.force_login(people[0])
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    print(
        json.dumps(
            {
                "home": "/en/",
                "article": path_of(article),
                "product": path_of(product),
                "board": path_of(board),
                "share": f"/en/share/x/page/{article.pk}/",
                "article_no_comments": path_of(empty),
                "article_300_comments": path_of(full),
                "comments": Comment.objects.for_model(full).count(),
                # A browser that has been on the site also sends its CSRF cookie.
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={secrets.token_hex(16)}",
            }
        )
    )


if __name__ == "__main__":
    main()
