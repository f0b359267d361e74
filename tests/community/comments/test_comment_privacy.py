"""A member's comments in "Download my data" and "Delete my account"."""

import io
import re

import pytest
from django.core.management import call_command

from community.comments.models import (
    Comment,
    CommentFlagReport,
    CommentReaction,
    ThreadFollow,
)
from community.comments.services import flag_comment, toggle_follow, toggle_like
from community.privacy import delete_account, export_user_data
from tests.community.comments.comment_helpers import post_comment
from tests.factories import CommentFactory, MemberFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"


@pytest.fixture
def lin(db):
    return MemberFactory(username="lin_xiaoyu", email="lin.private@example.com")


@pytest.fixture
def others():
    return MemberFactory(username="wang"), MemberFactory(username="zhao")


@pytest.fixture
def history(client, lin, others, page):
    """Lin's comments (one posted through the form, from an IP address), a
    reply by someone else to one of them, and Lin's like, flag and follow on
    someone else's comment."""
    wang, zhao = others
    client.force_login(lin)
    post_comment(client, page, "Posted from my phone")
    posted = Comment.objects.get(comment="Posted from my phone")
    answered = CommentFactory(
        content_object=page, user=lin, comment="Answered by Wang", ip_address=IP
    )
    reply = CommentFactory(
        content_object=page, user=wang, parent_id=answered.pk, comment="Wang here"
    )
    own_reply = CommentFactory(
        content_object=page, user=lin, parent_id=reply.pk, comment="Lin again"
    )
    theirs = CommentFactory(content_object=page, user=zhao, comment="Zhao's view")
    toggle_like(wang, theirs)
    toggle_like(lin, theirs)
    flag_comment(lin, theirs, "spam", "looks like an ad")
    toggle_follow(lin, theirs, "en")
    toggle_like(wang, answered)
    return {
        "posted": posted,
        "answered": answered,
        "reply": reply,
        "own_reply": own_reply,
        "theirs": theirs,
    }


def test_export_holds_the_member_s_comments_likes_flags_and_follows(lin, history, page):
    data = export_user_data(lin)["comments"]
    comments = {c["text"]: c for c in data["comments"]}
    assert set(comments) == {"Posted from my phone", "Answered by Wang", "Lin again"}
    answered = comments["Answered by Wang"]
    assert answered["id"] == history["answered"].pk
    assert answered["on"] == {"title": page.title, "url": page.full_url}
    assert answered["state"] == "published"
    assert answered["ip_address"] == IP
    assert answered["submitted_at"] == history["answered"].submit_date.isoformat()
    assert answered["reply_to"] is None
    assert comments["Lin again"]["reply_to"] == history["reply"].pk
    assert comments["Posted from my phone"]["ip_address"]
    theirs = history["theirs"].pk
    assert [like["comment"] for like in data["likes"]] == [theirs]
    assert [(f["comment"], f["reason"], f["note"]) for f in data["flags"]] == [
        (theirs, "spam", "looks like an ad")
    ]
    assert [follow["thread"] for follow in data["follows"]] == [theirs]
    # Nobody else's comments.
    assert "Wang here" not in str(data) and "Zhao's view" not in str(data)


def personal_data_left(lin, ip_addresses):
    """Where the member still shows in the comment tables."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        "community_comments",
        "django_comments",
        "django_comments_xtd",
        stdout=out,
    )
    dump = out.getvalue()
    found = [
        value for value in [lin.username, lin.email, *ip_addresses] if value in dump
    ]
    if re.search(rf'"user": {lin.pk}\b', dump):
        found.append(f"user {lin.pk}")
    return found


def test_anonymised_comments_stay_and_name_nobody(client, lin, history, page, settings):
    settings.COMMUNITY_DELETED_ACCOUNT_CONTENT = "anonymise"
    ip_addresses = {IP, history["posted"].ip_address}
    assert personal_data_left(lin, ip_addresses)
    delete_account(lin)
    assert personal_data_left(lin, ip_addresses) == []
    for pk in (history["posted"].pk, history["answered"].pk):
        comment = Comment.objects.get(pk=pk)
        assert comment.user_id is None
        assert (comment.user_name, comment.user_email, comment.user_url) == ("", "", "")
        assert comment.ip_address is None and not comment.followup
        assert comment.author_name() == "Deleted member"
    # The likes, flags and follows are gone, and the counters with them.
    theirs = Comment.objects.get(pk=history["theirs"].pk)
    assert (theirs.like_count, theirs.flag_count) == (1, 0)
    assert CommentReaction.objects.filter(comment=theirs).count() == 1
    assert not CommentFlagReport.objects.exists()
    assert not ThreadFollow.objects.exists()
    assert Comment.objects.get(pk=history["answered"].pk).like_count == 1
    html = client.get(page.url).content.decode()
    assert "Answered by Wang" in html and "Posted from my phone" in html
    assert html.count('class="comment__author"') == 5
    assert html.count(">Deleted member</span>") == 3
    assert "lin_xiaoyu" not in html


def test_removed_comments_go_and_a_placeholder_keeps_others_replies(
    client, lin, history, page, settings
):
    settings.COMMUNITY_DELETED_ACCOUNT_CONTENT = "remove"
    ip_addresses = {IP, history["posted"].ip_address}
    delete_account(lin)
    assert personal_data_left(lin, ip_addresses) == []
    assert not Comment.objects.filter(
        pk__in=[history["posted"].pk, history["own_reply"].pk]
    ).exists()
    placeholder = Comment.objects.get(pk=history["answered"].pk)
    assert placeholder.is_deleted and placeholder.comment == ""
    assert placeholder.user_id is None and placeholder.user_name == ""
    reply = Comment.objects.get(pk=history["reply"].pk)
    assert reply.nested_count == 0
    theirs = Comment.objects.get(pk=history["theirs"].pk)
    assert (theirs.like_count, theirs.flag_count) == (1, 0)
    html = client.get(page.url).content.decode()
    assert "Wang here" in html and "This comment was deleted." in html
    assert "Answered by Wang" not in html and "Posted from my phone" not in html
    assert "Lin again" not in html


def test_a_flag_already_dealt_with_does_not_move_the_counter(lin, others, page):
    wang, _zhao = others
    comment = CommentFactory(content_object=page, user=wang)
    flag_comment(lin, comment, "spam")
    CommentFlagReport.objects.update(resolved_at=comment.submit_date)
    Comment.objects.filter(pk=comment.pk).update(flag_count=0)  # approved
    flag_comment(MemberFactory(), comment, "abuse")
    delete_account(lin)
    assert Comment.objects.get(pk=comment.pk).flag_count == 1
