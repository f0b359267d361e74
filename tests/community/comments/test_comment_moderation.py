"""Moderation: the policies that hold a comment, the admin queue and its
actions, and what authors are told."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from community.comments import app_settings as comments_settings
from community.comments.checks import check_comments
from community.comments.models import Comment, CommentFlagReport
from community.comments.moderation import moderate
from community.moderation import blocklist_matches
from tests.community.comments.comment_helpers import post_comment
from tests.factories import CommentFactory, MemberFactory, UserFactory
from tests.testapp.models import CommentablePage

BULK = "/admin/bulk/community_comments/comment/"
QUEUE = "/admin/community/comments/"


@pytest.fixture
def article(page):
    """A commentable page of the tests' own app."""
    return page


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    client.member = member
    return client


@pytest.fixture
def editor(db):
    """A staff member (with a verified address, so they may comment) who
    moderates comments and replies as the brand."""
    group = Group.objects.create(name="Comment moderators")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "access_admin",
                "change_comment",
                "delete_comment",
                "reply_as_brand",
            ],
            content_type__app_label__in=["wagtailadmin", "community_comments"],
        )
    )
    user = MemberFactory(username="moderator", is_staff=True)
    user.groups.add(group)
    return user


def comments_on(page):
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(page), object_pk=str(page.pk)
    )


def held(client, target, text):
    response = post_comment(client, target, text, json=True)
    assert response.status_code == 200, response.content
    data = response.json()
    comment = Comment.objects.get(pk=data["id"])
    return data["held"], comment


def test_nothing_is_held_by_default(member_client, article):
    is_held, comment = held(member_client, article, "Nice tea")
    assert not is_held and comment.state == "published"


@override_settings(COMMUNITY_COMMENTS_PREMODERATE_MODELS=["testapp.TeaProduct"])
def test_pre_moderation_per_page_type(member_client, article, product):
    assert held(member_client, product, "On a product")[0] is True
    assert held(member_client, article, "On an article")[0] is False


@override_settings(COMMUNITY_COMMENTS_TRUSTED_AFTER=2)
def test_new_members_are_pre_moderated_until_n_approved_comments(
    member_client, article
):
    is_held, comment = held(member_client, article, "My first")
    assert is_held and "first comments" in comment.hold_reasons
    CommentFactory.create_batch(2, content_object=article, user=member_client.member)
    assert held(member_client, article, "Now trusted")[0] is False


@override_settings(COMMUNITY_COMMENTS_BLOCKLIST=["cheap", "代购", "re:w+h+a+t+s+a+p+p"])
def test_blocklist_english_on_word_boundaries_chinese_anywhere_and_patterns():
    entries = comments_settings.BLOCKLIST
    assert blocklist_matches("So CHEAP!", entries) == ["cheap"]
    assert blocklist_matches("a cheapskate review", entries) == []
    assert blocklist_matches("专业代购茶叶", entries) == ["代购"]
    assert blocklist_matches("add me on whatsapppp", entries) == ["re:w+h+a+t+s+a+p+p"]


@override_settings(COMMUNITY_COMMENTS_BLOCKLIST=["代购"])
def test_a_blocked_word_sends_the_comment_to_the_queue(member_client, article):
    is_held, comment = held(member_client, article, "欢迎找我代购")
    assert is_held and "代购" in comment.hold_reasons
    # The author sees it, marked; others do not.
    page = member_client.get(article.url).content.decode()
    assert "Awaiting moderation" in page
    member_client.force_login(MemberFactory())
    assert "欢迎找我代购" not in member_client.get(article.url).content.decode()


@override_settings(COMMUNITY_COMMENTS_MAX_LINKS=1)
def test_too_many_links_go_to_the_queue(member_client, article):
    assert held(member_client, article, "one https://a.example")[0] is False
    text = "two https://a.example and [b](https://b.example)"
    assert held(member_client, article, text)[0] is True


def test_duplicates_refused_here_and_held_elsewhere(member_client, article, make_page):
    other = make_page("Green tea at home")
    assert held(member_client, article, "Buy   my tea")[0] is False
    again = post_comment(member_client, article, "buy my TEA", json=True)
    assert again.status_code == 400
    assert again.json()["message"] == "You already posted this comment here."
    is_held, comment = held(member_client, other, "Buy my tea")
    assert is_held and "another page" in comment.hold_reasons


@override_settings(COMMUNITY_COMMENTS_BLOCKLIST=["cheap"])
def test_edits_are_checked_too(member_client, article):
    comment = CommentFactory(content_object=article, user=member_client.member)
    member_client.post(
        reverse("community_comments:edit", args=[comment.pk]),
        {"comment": "cheap stuff"},
    )
    comment.refresh_from_db()
    assert comment.state == "pending"


def test_the_brand_replies_officially_and_is_never_held(client, editor, article):
    root = CommentFactory(content_object=article)
    client.force_login(editor)
    with override_settings(COMMUNITY_COMMENTS_BLOCKLIST=["tea"]):
        response = post_comment(
            client, article, "Thank you for the tea love", root.pk, as_brand="on"
        )
    assert response.status_code == 302
    reply = Comment.objects.get(parent_id=root.pk, level=1)
    assert reply.is_official and reply.state == "published"
    page = client.get(article.url).content.decode()
    assert "Official" in page
    assert "comment--official" in page
    assert "community/img/brand.svg" in page


def test_members_cannot_post_as_the_brand(member_client, article):
    post_comment(member_client, article, "I am the brand", as_brand="on")
    assert comments_on(article).get().is_official is False


def test_moderation_actions_and_what_authors_are_told(
    article, django_capture_on_commit_callbacks
):
    pending = CommentFactory(content_object=article, state="pending")
    flagged = CommentFactory(content_object=article, flag_count=1)
    CommentFlagReport.objects.create(
        comment=flagged, user=MemberFactory(), reason="abuse"
    )
    spam = CommentFactory(content_object=article)
    with django_capture_on_commit_callbacks(execute=True):
        assert moderate([pending], "approve") == 1
    pending.refresh_from_db()
    assert pending.state == "published" and pending.is_public
    assert [m.to for m in mail.outbox] == [[pending.user.email]]
    assert "is published" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderate([flagged], "remove")
    flagged.refresh_from_db()
    assert flagged.state == "removed" and flagged.is_removed and not flagged.is_public
    assert CommentFlagReport.objects.get().resolved_at is not None
    assert "was removed" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderate([spam], "spam")
    spam.refresh_from_db()
    assert spam.state == "spam" and mail.outbox == []


def test_removing_a_comment_hides_its_replies(client, article):
    root = CommentFactory(content_object=article, comment="root text")
    CommentFactory(content_object=article, parent_id=root.pk, comment="reply text")
    moderate([Comment.objects.get(pk=root.pk)], "remove")
    page = client.get(article.url).content.decode()
    assert "root text" not in page and "reply text" not in page


# The Wagtail admin


def test_the_queue_lists_pending_and_flagged_with_reasons(client, editor, article):
    CommentFactory(content_object=article, comment="calm and fine")
    CommentFactory(
        content_object=article,
        comment="held one",
        state="pending",
        hold_reasons="too many links",
    )
    flagged = CommentFactory(
        content_object=article, comment="flagged one", flag_count=1
    )
    CommentFlagReport.objects.create(
        comment=flagged, user=MemberFactory(), reason="spam", note="casino"
    )
    client.force_login(editor)
    response = client.get(QUEUE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "held one" in html and "flagged one" in html and "calm and fine" not in html
    assert "too many links" in html and "Spam or advertising: casino" in html
    assert article.title in html
    everything = client.get(f"{QUEUE}?state=all").content.decode()
    assert "calm and fine" in everything
    found = client.get(f"{QUEUE}?state=all&q=calm").content.decode()
    assert "calm and fine" in found and "held one" not in found


def test_a_members_history_is_one_click_away(client, editor, article):
    member = MemberFactory()
    CommentFactory(content_object=article, user=member, comment="mine", state="pending")
    CommentFactory(content_object=article, comment="someone else's")
    client.force_login(editor)
    queue = client.get(QUEUE).content.decode()
    history_url = f"?state=all&amp;user={member.pk}"
    assert history_url in queue
    history = client.get(f"{QUEUE}?state=all&user={member.pk}").content.decode()
    assert "mine" in history and "someone else" not in history


def test_bulk_actions_in_the_admin(client, editor, article):
    first = CommentFactory(content_object=article, state="pending")
    second = CommentFactory(content_object=article, state="pending")
    client.force_login(editor)
    url = f"{BULK}approve_comments/?id={first.pk}&id={second.pk}&next={QUEUE}"
    assert "Publish these comments" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert response.redirect_chain[0] == (QUEUE, 302)
    assert "2 comments approved." in response.content.decode()
    states = set(comments_on(article).values_list("state", flat=True))
    assert states == {"published"}
    client.post(f"{BULK}spam_comments/?id={first.pk}")
    first.refresh_from_db()
    assert first.state == "spam"
    response = client.post(f"{BULK}remove_comments/?id={second.pk}", follow=True)
    assert "1 comment removed." in response.content.decode()
    second.refresh_from_db()
    assert second.state == "removed"


def test_visitors_and_members_cannot_moderate(client, article):
    comment = CommentFactory(content_object=article, state="pending")
    client.force_login(MemberFactory())
    client.post(f"{BULK}approve_comments/?id={comment.pk}")
    comment.refresh_from_db()
    assert comment.state == "pending"
    assert client.get(QUEUE).status_code == 302


def test_editors_who_may_not_moderate_are_told(client, article):
    comment = CommentFactory(
        content_object=article, state="pending", comment="A held secret"
    )
    editor = UserFactory(is_staff=True)
    editor.save()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    url = f"{BULK}approve_comments/?id={comment.pk}"
    page = client.get(url).content.decode()
    assert "You don&#x27;t have permission to moderate these comments" in page
    # The held comment's id, never its text.
    assert f"#{comment.pk}" in page and "A held secret" not in page
    client.post(url)
    comment.refresh_from_db()
    assert comment.state == "pending"


def test_nobody_creates_comments_in_the_admin(client, editor):
    client.force_login(editor)
    assert client.get(f"{QUEUE}add/").status_code in (302, 403)


def test_system_checks_reject_bad_comment_settings():
    assert check_comments(None) == []
    with override_settings(
        COMMENTS_XTD_MODEL="django_comments_xtd.models.XtdComment",
        COMMUNITY_COMMENTS_RATE_LIMITS={"comment": "five a minute"},
    ):
        ids = [error.id for error in check_comments(None)]
    assert ids == ["community_comments.E201", "community_comments.E202"]


def test_the_queue_filters_by_page_and_date(client, editor, article, make_page):
    other = make_page("Green tea at home")
    CommentFactory(content_object=article, comment="here and now", state="pending")
    CommentFactory(
        content_object=other,
        comment="there and then",
        state="pending",
        submit_date=timezone.now() - timedelta(days=40),
    )
    client.force_login(editor)
    base = QUEUE
    content_type = ContentType.objects.get_for_model(CommentablePage)
    by_page = client.get(f"{base}?target={content_type.pk}:{other.pk}").content.decode()
    assert "there and then" in by_page and "here and now" not in by_page
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    recent = client.get(f"{base}?submit_date_from={since}").content.decode()
    assert "here and now" in recent and "there and then" not in recent
