"""Shared pieces of the insights tests: an empty slate, pages and a board of
the test app under the Wagtail root, comments and posts at given moments,
editors with given permissions."""

import datetime
import itertools

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import Site

from community.comments.models import Comment
from community.insights.models import DailyMetric, KeywordGroup, Mention
from community.posts.models import CommunityBoardPage, Post
from sharing.models import ShareCount, ShareDayTotal, ShareMonthTotal
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.testapp.models import CommentablePage

UTC = datetime.UTC
DAY1 = datetime.date(2026, 3, 1)
DAY2 = datetime.date(2026, 3, 2)

_slugs = itertools.count(1)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def local_noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def empty_insights():
    """No comments, posts, share counters, aggregates, mentions or keyword
    groups, for hand-computed numbers (whatever another test of the session
    committed, e.g. a demo site, is deleted inside this test's transaction)."""
    Comment.objects.all().delete()
    Post.objects.all().delete()
    for model in (ShareCount, ShareDayTotal, ShareMonthTotal):
        model.objects.all().delete()
    DailyMetric.objects.all().delete()
    Mention.objects.all().delete()
    KeywordGroup.objects.all().delete()


def site_root():
    return Site.objects.get(is_default_site=True).root_page


def add_page(title="Tea notes"):
    """A live test-app page with comments, under the default site's root."""
    page = CommentablePage(title=title, slug=f"tea-notes-{next(_slugs)}")
    site_root().add_child(instance=page)
    return page


def add_board(title="Tea talk"):
    """A live community board taking every kind of post, under the root."""
    board = CommunityBoardPage(
        title=title,
        slug=f"tea-talk-{next(_slugs)}",
        allow_stories=True,
        allow_photos=True,
        allow_reviews=True,
        allow_questions=True,
    )
    site_root().add_child(instance=board)
    return board


def comment_at(target, moment, text="Nice tea", **kwargs):
    comment = CommentFactory(content_object=target, comment=text, **kwargs)
    Comment.objects.filter(pk=comment.pk).update(submit_date=moment)
    comment.submit_date = moment
    return comment


def post_at(board, moment, **kwargs):
    post = PostFactory(board=board, **kwargs)
    Post.objects.filter(pk=post.pk).update(published_at=moment, created_at=moment)
    post.refresh_from_db()
    return post


def superuser():
    user = UserFactory(is_staff=True, is_superuser=True)
    user.save()  # the factory's password, so that force_login sessions hold
    return user


def editor_with(django_user_model, *perms):
    """A staff member who may open the admin, with these permissions only
    ("app_label.codename")."""
    user = UserFactory(is_staff=True)
    user.save()
    group = Group.objects.create(name=f"insights {user.username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for perm in perms:
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user.groups.add(group)
    return django_user_model.objects.get(pk=user.pk)
