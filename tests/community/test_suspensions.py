"""Suspending a member from the Wagtail admin: for a while (until a date and
time) or until lifted, for a reason template the member reads in their own
language and/or the moderator's note; the member is told by e-mail in their
language (when suspended, when it changes, when it is lifted early); the
suspension ends by itself; the member's admin page lists what they wrote."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone, translation

from community import suspensions
from community.adapter import get_adapter
from community.models import Profile
from tests.factories import CommentFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/community/members/"


@pytest.fixture
def editor(db):
    group = Group.objects.create(name="Member editors")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_profile", "change_profile"],
            content_type__app_label__in=["wagtailadmin", "community"],
        )
    )
    user = UserFactory(username="member-editor", is_staff=True)
    user.save()
    user.groups.add(group)
    return user


@pytest.fixture
def member(db):
    member = MemberFactory(email="spam.king@example.com")
    profile = Profile.for_user(member)
    profile.display_name = "Spam King"
    profile.language = "zh-hans"
    profile.save()
    return member


def edit(client, member, captured, **fields):
    profile = Profile.objects.get(user=member)
    data = {"display_name": profile.display_name, "bio": "", "region": "", **fields}
    with captured(execute=True):
        return client.post(f"{URL}edit/{profile.pk}/", data)


def in_a_week():
    return timezone.localtime() + datetime.timedelta(days=7)


def test_a_suspension_until_a_date_with_a_reason_template(
    client, editor, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    until = in_a_week().replace(second=0, microsecond=0)
    response = edit(
        client,
        member,
        django_capture_on_commit_callbacks,
        suspended="on",
        suspended_until=until.strftime("%Y-%m-%d %H:%M"),
        suspension_template="spam",
        suspension_reason="Links to a shop, 12 times.",
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.is_suspended and profile.suspended_until == until
    member.refresh_from_db()
    with translation.override("en"):
        message = get_adapter().participation_denied(member)
    assert message.startswith("Your account is suspended until ")
    assert message.endswith(
        ": You posted advertising or spam. Links to a shop, 12 times."
    )
    # The e-mail, in the member's language: the date the Chinese way.
    (mail,) = mailoutbox
    assert mail.to == ["spam.king@example.com"]
    assert f"{until.year}年{until.month}月{until.day}日" in mail.body
    assert "Links to a shop, 12 times." in mail.body
    assert mail.alternatives and "Links to a shop" in mail.alternatives[0][0]
    # Changing nothing about the suspension sends nothing more.
    edit(
        client,
        member,
        django_capture_on_commit_callbacks,
        suspended="on",
        suspended_until=until.strftime("%Y-%m-%d %H:%M"),
        suspension_template="spam",
        suspension_reason="Links to a shop, 12 times.",
        region="Hangzhou",
    )
    assert len(mailoutbox) == 1


def test_a_permanent_suspension_and_its_lifting(
    client, editor, member, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    edit(
        client,
        member,
        django_capture_on_commit_callbacks,
        suspended="on",
        suspension_template="abuse",
    )
    profile = Profile.objects.get(user=member)
    assert profile.is_suspended and profile.suspended_until is None
    member.refresh_from_db()
    with translation.override("en"):
        assert get_adapter().participation_denied(member) == (
            "Your account is suspended: You insulted or harassed other members."
        )
    page = client.get(URL, {"suspended": "true"}).content.decode()
    assert "spam.king@example.com" in page and "Until lifted" in page
    edit(client, member, django_capture_on_commit_callbacks)
    profile.refresh_from_db()
    assert not profile.is_suspended and profile.suspension_template == ""
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == ["spam.king@example.com"]
    member.refresh_from_db()
    assert get_adapter().participation_denied(member) is None


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({}, "Tell the member why"),
        (
            {"suspension_template": "spam", "suspended_until": "2001-01-01 10:00"},
            "future",
        ),
        ({"suspension_template": "no-such-reason"}, "Select a valid choice"),
        ({"suspension_template": "spam", "suspended_until": "tomorrow-ish"}, "valid"),
        (
            {"suspension_template": "spam", "suspended_until": "99999-99-99 99:99"},
            "valid",
        ),
        ({"suspension_template": "spam\x00"}, "Select a valid choice"),
    ],
)
def test_a_suspension_needs_a_reason_and_a_future_end(
    client,
    editor,
    member,
    mailoutbox,
    django_capture_on_commit_callbacks,
    fields,
    error,
):
    client.force_login(editor)
    response = edit(
        client, member, django_capture_on_commit_callbacks, suspended="on", **fields
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Profile.objects.get(user=member).is_suspended
    assert mailoutbox == []


def test_a_suspension_ends_by_itself(client, editor, member, mailoutbox):
    profile = Profile.objects.get(user=member)
    profile.suspend("Cooling off", until=timezone.now() + datetime.timedelta(hours=1))
    assert profile.is_suspended
    profile.suspended_until = timezone.now() - datetime.timedelta(seconds=1)
    profile.save()
    assert not profile.is_suspended
    member.refresh_from_db()
    assert get_adapter().participation_denied(member) is None
    client.force_login(editor)
    page = client.get(URL, {"suspended": "true"}).content.decode()
    assert "spam.king@example.com" not in page
    # Lifting an ended suspension tells nobody.
    suspensions.lift(profile)
    assert mailoutbox == []


def test_the_notice_is_not_sent_when_the_suspension_was_lifted_since(
    member, mailoutbox
):
    profile = Profile.objects.get(user=member)
    profile.suspend("x")
    profile.lift_suspension()
    assert suspensions.send_suspension_notice.call(profile.pk, "suspended") is False
    assert mailoutbox == []


def test_the_members_admin_page_lists_their_comments_and_posts(client, editor, member):
    from wagtail.models import Site

    from community.posts.models import CommunityBoardPage
    from tests.factories import PostFactory

    root = Site.objects.get(is_default_site=True).root_page
    board = CommunityBoardPage(title="Stories", slug="stories-suspensions")
    root.add_child(instance=board)
    post = PostFactory(board=board, author=member, title="Cheap tea here!!!")
    comment = CommentFactory(content_object=post, user=member, comment="Buy now at x")
    CommentFactory(content_object=post, comment="Someone else's words")
    superuser = UserFactory(username="boss", is_staff=True, is_superuser=True)
    superuser.save()
    client.force_login(superuser)
    profile = Profile.objects.get(user=member)
    for view in ("edit", "inspect"):
        page = client.get(f"{URL}{view}/{profile.pk}/").content.decode()
        assert "Comments (1)" in page and "Posts (1)" in page, view
        assert f"/admin/community/posts/inspect/{post.pk}/" in page
        assert f"/admin/community/comments/inspect/{comment.pk}/" in page
        assert "Buy now at x" in page and "Someone else" not in page
    # An editor of members only sees the lists, without links they cannot use.
    client.force_login(editor)
    page = client.get(f"{URL}edit/{profile.pk}/").content.decode()
    assert "Cheap tea here!!!" in page
    assert f"/admin/community/posts/inspect/{post.pk}/" not in page


def test_signing_in_remembers_the_members_language(client, member):
    Profile.objects.filter(user=member).update(language="")
    response = client.post(
        "/accounts/login/",
        {"login": member.email, "password": "correct-horse-9"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=member).language == "zh-hans"
