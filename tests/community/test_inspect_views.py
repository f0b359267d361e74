"""The community's admin inspect views (posts, comments, any moderated
model's queue, members, keyword groups) show values as people read them: one
date format in the site's time zone, "Yes"/"No", "—" for nothing; never
"None", "True" or a UTC timestamp."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import translation
from wagtail.models import Site

from community.formats import human_datetime, human_value
from community.insights.models import KeywordGroup
from community.models import Profile
from community.posts.models import CommunityBoardPage
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 12, 1, 17, 5, tzinfo=datetime.UTC)


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="inspector", is_staff=True, is_superuser=True)
    user.save()
    client.force_login(user)
    return client


def fields(html):
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>\s*(.*?)\s*</dd>", html, re.S)
    return {label.strip(): " ".join(value.split()) for label, value in pairs}


@pytest.fixture
def post(db):
    root = Site.objects.get(is_default_site=True).root_page
    board = CommunityBoardPage(title="Stories", slug="stories-inspect")
    root.add_child(instance=board)
    return PostFactory(board=board, state="pending", created_at=MOMENT, title="Held")


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_a_post_in_one_human_format_in_the_sites_time_zone(admin_client, post):
    shown = fields(
        admin_client.get(f"/admin/community/posts/inspect/{post.pk}/").content.decode()
    )
    assert shown["Published at"] == "—"  # not "None"
    assert shown["Created at"] == "Dec. 2, 2026, 1:05 a.m."  # Shanghai, not UTC
    assert shown["Rating"] == "—"
    assert "None" not in shown.values() and "True" not in shown.values()
    assert shown["Author"].endswith(f"({post.author.username})")


def test_a_comment_says_yes_and_no(admin_client, post):
    comment = CommentFactory(content_object=post, comment="Hello")
    shown = fields(
        admin_client.get(
            f"/admin/community/comments/inspect/{comment.pk}/"
        ).content.decode()
    )
    official = next(value for label, value in shown.items() if "fficial" in label)
    assert official == "No"
    assert shown["Edited at"] == "—"


def test_keyword_groups_and_members(admin_client, post):
    group = KeywordGroup.objects.create(name="Brand", keywords_en="cloudmist")
    shown = fields(
        admin_client.get(
            f"/admin/community/keyword-groups/inspect/{group.pk}/"
        ).content.decode()
    )
    assert shown["Active"] == "Yes"
    profile = Profile.for_user(post.author)
    profile.suspend("spam", template="spam")
    shown = fields(
        admin_client.get(
            f"/admin/community/members/inspect/{profile.pk}/"
        ).content.decode()
    )
    assert shown["Suspended until"] == "—"
    assert shown["Reason"] == "You posted advertising or spam."


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_the_formats_in_both_languages():
    assert human_value(None) == human_value("") == "—"
    assert human_value(True) == "Yes" and human_value(0) == 0
    assert human_datetime(MOMENT) == "Dec. 2, 2026, 1:05 a.m."
    assert human_datetime(MOMENT.date()) == "Dec. 1, 2026"
    naive = MOMENT.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert human_datetime(naive) == "Dec. 2, 2026, 1:05 a.m."
    with translation.override("zh-hans"):
        assert human_datetime(MOMENT) == "2026年12月2日 01:05"
        assert human_value(False) == "否"
