"""Download my data, delete my account."""

import io
import json

import pytest
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from community import privacy
from community.models import Profile
from community.privacy import privacy_registry
from tests.factories import MemberFactory

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
