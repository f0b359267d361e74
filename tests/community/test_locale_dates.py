"""Dates in the locale's own formats and the site's time zone: "2026年12月",
never "十二月 2026"; and no template anywhere hard-codes a human format."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail.models import Site

from community.comments.models import Comment
from tests.community.posts.post_helpers import make_board
from tests.factories import CommentFactory, MemberFactory, PostFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# 18:00 UTC on 30 November is 02:00 on 1 December in Shanghai (TIME_ZONE).
LATE_NOVEMBER_UTC = datetime.datetime(2026, 11, 30, 18, 0, tzinfo=datetime.UTC)
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


@pytest.fixture
def home(db):
    return Site.objects.get(is_default_site=True).root_page.specific


def test_member_since_in_each_language_and_the_sites_time_zone(client, settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    member = MemberFactory(date_joined=LATE_NOVEMBER_UTC)
    english = client.get(f"/en/community/members/{member.pk}/").content.decode()
    assert "Member since December 2026" in english
    chinese = client.get(f"/zh-hans/community/members/{member.pk}/").content.decode()
    assert "2026年12月" in chinese
    assert "十二月" not in chinese and "November" not in english


def test_post_and_comment_dates_in_each_language(client, home):
    Comment.objects.all().delete()
    board = make_board(home)
    post = PostFactory(board=board)
    post.published_at = post.created_at = LATE_NOVEMBER_UTC
    post.save()
    comment = CommentFactory(content_object=post)
    Comment.objects.filter(pk=comment.pk).update(submit_date=LATE_NOVEMBER_UTC)
    path = board.reverse_subpage("post", args=[post.pk])
    english = client.get(f"/en/{board.slug}/{path}", **BROWSER).content.decode()
    assert "Dec. 1, 2026" in english
    chinese = client.get(f"/zh-hans/{board.slug}/{path}", **BROWSER).content.decode()
    assert "2026年12月1日" in chinese
    assert "2026年12月1日 02:00" in chinese  # the comment, with its time
    assert "十二月" not in chinese


# The locale's named formats are fine, and so are formats for machines
# (datetime attributes, feeds: ISO 8601 digits and separators only); anything
# else is a human format written for one language.
MACHINE = set("YmdHisOTUcr\\-:+. ")
NAMED = {
    f"{name}_FORMAT"
    for name in (
        "DATE",
        "DATETIME",
        "SHORT_DATE",
        "SHORT_DATETIME",
        "YEAR_MONTH",
        "MONTH_DAY",
        "TIME",
    )
}
DATE_FILTER = re.compile(r"""\|\s*(?:date|time)\s*:\s*["']([^"']*)["']""")
NOW_TAG = re.compile(r"""{%\s*now\s+["']([^"']*)["']""")


def test_no_template_hard_codes_a_human_date_format():
    found = []
    for folder in ("community", "sharing", "socialsite", "templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".html", ".txt", ".xml"}:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in (DATE_FILTER, NOW_TAG):
                for fmt in pattern.findall(text):
                    if fmt not in NAMED and not set(fmt) <= MACHINE:
                        found.append(f"{path.relative_to(ROOT)}: {fmt!r}")
    assert not found, "\n".join(found)


def test_the_locale_formats_themselves():
    from django.utils import formats, translation

    day = timezone.localdate(LATE_NOVEMBER_UTC)
    with translation.override("zh-hans"):
        assert formats.date_format(day, "YEAR_MONTH_FORMAT") == "2026年12月"
        assert formats.date_format(day, "DATE_FORMAT") == "2026年12月1日"
    with translation.override("en"):
        assert formats.date_format(day, "YEAR_MONTH_FORMAT") == "December 2026"
