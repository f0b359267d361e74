"""Download my data, delete my account."""

import io
import json

import pytest
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from PIL import Image
from wagtail.models import Site

from community import privacy
from community.comments import services as comment_services
from community.comments.forms import CommentForm
from community.comments.models import Comment
from community.models import Profile
from community.posts import services as post_services
from community.posts.models import CommunityBoardPage
from community.privacy import privacy_registry
from tests.factories import CommentFactory, MemberFactory, PostFactory
from tests.testapp.models import CommentablePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_member(settings):
    member = MemberFactory(username="lin", email="lin.personal@example.com")
    profile = Profile.for_user(member)
    profile.display_name = "Lin Xiaoyu"
    profile.bio = "Oolong lover from Hangzhou, phone 13800138000"
    profile.region = "Hangzhou"
    profile.save()
    profile.interests.set(["oolong", "tea ceremony"])
    out = io.BytesIO()
    Image.new("RGB", (300, 300), "green").save(out, "PNG")
    from community.avatars import render_avatar

    profile.set_avatar(render_avatar(io.BytesIO(out.getvalue())))
    account = SocialAccount.objects.create(
        user=member,
        provider="github",
        uid="lin-gh-4242",
        extra_data={"login": "lin-gh", "name": "Lin Xiaoyu", "access_token": "leak"},
    )
    from allauth.socialaccount.models import SocialApp

    app = SocialApp.objects.create(provider="github", name="GitHub", client_id="x")
    SocialToken.objects.create(account=account, app=app, token="secret-token-123")
    return member


def test_export_holds_everything_but_secrets(client, rich_member):
    client.force_login(rich_member)
    assert client.get(reverse("community:account_export")).status_code == 200
    response = client.post(reverse("community:account_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "lin.personal@example.com"
    assert data["email_addresses"] == [
        {"email": "lin.personal@example.com", "verified": True, "primary": True}
    ]
    assert data["social_accounts"][0]["uid"] == "lin-gh-4242"
    assert data["social_accounts"][0]["extra_data"]["login"] == "lin-gh"
    assert data["profile"]["display_name"] == "Lin Xiaoyu"
    assert data["profile"]["interests"] == ["oolong", "tea ceremony"]
    assert data["profile"]["region"] == "Hangzhou"
    text = response.content.decode()
    assert "secret-token-123" not in text and "leak" not in text


def test_export_and_delete_need_a_signed_in_member(client):
    for name in ["account_export", "account_delete", "account_settings"]:
        response = client.post(reverse(f"community:{name}"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_sections_can_be_registered(client, django_capture_on_commit_callbacks):
    """An app of the project registers what it holds: its part of the export,
    and its erase() runs inside the deletion (files named are deleted after)."""
    erased = []

    class Wishlist(privacy.Section):
        name = "wishlist"

        def export(self, user):
            return ["Longjing 2026"]

        def erase(self, user, mode):
            erased.append((user.username, mode))

    privacy.register(Wishlist())
    try:
        member = MemberFactory(username="wish")
        member.set_password("correct-horse-9")
        member.save()
        assert privacy.export_user_data(member)["wishlist"] == ["Longjing 2026"]
        client.force_login(member)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("community:account_delete"), {"password": "correct-horse-9"}
            )
        assert erased == [("wish", "anonymise")]
    finally:
        privacy_registry.unregister("wishlist")


def test_delete_needs_the_password(client, rich_member):
    client.force_login(rich_member)
    response = client.post(reverse("community:account_delete"), {"password": "no"})
    assert "This is not your password." in response.content.decode()
    assert get_user_model().objects.filter(pk=rich_member.pk).exists()


def test_social_only_account_confirms_with_a_phrase(client):
    member = MemberFactory()
    member.set_unusable_password()
    member.save()
    client.force_login(member)
    page = client.get(reverse("community:account_delete")).content.decode()
    assert "delete my account" in page
    response = client.post(reverse("community:account_delete"), {"phrase": "yes"})
    assert response.status_code == 200
    response = client.post(
        reverse("community:account_delete"), {"phrase": "Delete my account"}
    )
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("mode", ["anonymise", "remove"])
def test_deletion_leaves_no_personal_data(
    client, rich_member, settings, mode, django_capture_on_commit_callbacks
):
    settings.COMMUNITY_DELETED_ACCOUNT_CONTENT = mode
    seen = []
    from community.privacy import account_deleting

    def receiver(sender, user, mode, **kwargs):
        seen.append((user.pk, mode))

    account_deleting.connect(receiver)
    client.force_login(rich_member)
    profile = Profile.objects.get(user=rich_member)
    # An editor's earlier edit in the admin names the member in its history.
    from wagtail.log_actions import log

    log(profile, "wagtail.edit", user=None)
    files = profile.avatar_files()
    assert len(files) == 2
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("community:account_delete"), {"password": "correct-horse-9"}
            )
    finally:
        account_deleting.disconnect(receiver)
    assert response.status_code == 302
    assert seen == [(rich_member.pk, mode)]
    # Signed out, and nothing of the person anywhere in the database ...
    assert "_auth_user_id" not in client.session
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue()
    for personal in [
        "lin.personal@example.com",
        "Lin Xiaoyu",
        "13800138000",
        "lin-gh-4242",
        "secret-token-123",
        '"lin"',
    ]:
        assert personal not in dump, personal
    # ... nor in the media storage.
    from django.core.files.storage import default_storage

    assert not any(default_storage.exists(name) for name in files)


@pytest.fixture(autouse=True)
def _own_media_root(media_root):
    """Files this module stores go to a folder of their own."""
    return media_root


# Everything a member made, across the apps: the export holds it, deletion
# leaves no table with their e-mail address, username or IP address.

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
