"""Everything a member made, across the apps: the export holds it, deletion
leaves no table with their e-mail address, username or IP address (on SQLite
and, in CI's second pass, on PostgreSQL)."""

import json

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.models import Site

from community.comments import services as comment_services
from community.comments.forms import CommentForm
from community.comments.models import Comment
from community.posts import services as post_services
from community.posts.models import CommunityBoardPage
from tests.factories import CommentFactory, MemberFactory, PostFactory
from tests.testapp.models import CommentablePage

pytestmark = pytest.mark.django_db

NEEDLES = ("lin-tea-7731", "lin.tea.7731@example.com", "203.0.113.77")


@pytest.fixture
def active_member(client):
    """A member who commented (from a known IP address), replied, liked,
    flagged, followed a thread, posted, liked and reported a post."""
    root = Site.objects.get(is_default_site=True).root_page
    page = root.add_child(instance=CommentablePage(title="Spring harvest"))
    board = root.add_child(instance=CommunityBoardPage(title="Stories"))
    member = MemberFactory(username="lin-tea-7731", email="lin.tea.7731@example.com")
    member.set_password("correct-horse-9")
    member.save()
    other = MemberFactory()
    theirs = CommentFactory(content_object=page, user=other)
    client.force_login(member)
    response = client.post(
        reverse("community_comments:post"),
        {
            **CommentForm(page, user=member).initial,
            **CommentForm(page, user=member).generate_security_data(),
            "comment": "Lovely first flush, thank you!",
        },
        REMOTE_ADDR=NEEDLES[2],
    )
    assert response.status_code == 302, response.content
    mine = Comment.objects.get(user=member)
    assert mine.ip_address == NEEDLES[2]
    CommentFactory(content_object=page, user=other, parent_id=mine.pk)
    comment_services.toggle_like(member, theirs)
    comment_services.flag_comment(member, theirs, "off_topic", "not about tea")
    comment_services.toggle_follow(member, theirs)
    post = PostFactory(board=board, author=member, title="My tea garden")
    their_post = PostFactory(board=board, author=other)
    post_services.toggle_like(member, their_post)
    post_services.report_post(member, their_post, "spam", "an advert")
    return member, page, post


def test_the_export_holds_everything_the_member_made(client, active_member):
    member, page, post = active_member
    data = json.loads(client.post(reverse("community:account_export")).content)
    assert [c["text"] for c in data["comments"]["comments"]] == [
        "Lovely first flush, thank you!"
    ]
    assert len(data["comments"]["likes"]) == 1
    assert data["comments"]["flags"][0]["reason"] == "off_topic"
    assert len(data["comments"]["follows"]) == 1
    assert [p["title"] for p in data["posts"]["posts"]] == ["My tea garden"]
    assert len(data["posts"]["likes"]) == 1
    assert data["posts"]["reports"][0]["note"] == "an advert"


def every_row_holding(needles):
    """(table, needle) for every row of every table that holds a needle."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                found += [(table, needle) for needle in needles if needle in text]
    return found


@pytest.mark.parametrize("mode", ["anonymise", "remove"])
def test_deletion_leaves_no_table_with_the_members_data(
    client, active_member, settings, mode, django_capture_on_commit_callbacks
):
    settings.COMMUNITY_DELETED_ACCOUNT_CONTENT = mode
    member, page, post = active_member
    assert every_row_holding(NEEDLES)  # the search finds what is there
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:account_delete"), {"password": "correct-horse-9"}
        )
    assert response.status_code == 302
    assert every_row_holding(NEEDLES) == []
    # What others wrote stays; the member's words stay only when anonymised.
    text = client.get(page.url).content.decode()
    assert ("Lovely first flush" in text) is (mode == "anonymise")
    assert "lin-tea-7731" not in text
    if mode == "anonymise":
        assert "Deleted member" in text
