"""Issue 20 (1) for avatars: the request reads only the header (after the
rate limit and the member's rights); the background task decodes it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image, ImageFile

from community.models import Profile
from community.tasks import process_avatar
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def picture(size=(640, 480)):
    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 80)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def decodes(monkeypatch):
    calls = {"load": 0, "open": 0}
    load, open_ = ImageFile.ImageFile.load, Image.open

    def counting_load(self, *args, **kwargs):
        calls["load"] += 1
        return load(self, *args, **kwargs)

    def counting_open(*args, **kwargs):
        calls["open"] += 1
        return open_(*args, **kwargs)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    monkeypatch.setattr(Image, "open", counting_open)
    return calls


@pytest.fixture
def member_client(client):
    member = MemberFactory()
    client.force_login(member)
    return client, member


def upload(client, data):
    return client.post(
        reverse("community:account_settings"),
        {
            "display_name": "Wang Fang",
            "avatar_upload": SimpleUploadedFile("me.png", data, "image/png"),
        },
    )


@override_settings(TASKS=DUMMY_TASKS)
def test_avatar_is_decoded_by_the_task_not_the_request(
    member_client, media_root, decodes, django_capture_on_commit_callbacks
):
    client, member = member_client
    response = upload(client, picture((3000, 2000)))
    assert response.status_code == 302
    assert decodes["load"] == 0
    profile = Profile.objects.get(user=member)
    assert not profile.avatar
    uploads = list((media_root / "community" / "uploads").iterdir())
    assert len(uploads) == 1
    with django_capture_on_commit_callbacks(execute=True):
        process_avatar.call(profile.pk, f"community/uploads/{uploads[0].name}")
    profile.refresh_from_db()
    assert Image.open(profile.avatar.open("rb")).size == (256, 256)
    assert list((media_root / "community" / "uploads").iterdir()) == []


@override_settings(COMMUNITY_AVATAR_MAX_PIXELS=1_000_000)
def test_oversized_avatar_is_refused_by_its_header(member_client, media_root, decodes):
    client, member = member_client
    response = upload(client, picture((1200, 1200)))
    assert "too large (1200 × 1200 pixels)" in response.content.decode()
    assert decodes["load"] == 0


@override_settings(COMMUNITY_RATE_LIMITS={"profile_update": "1/m/user"})
def test_over_the_rate_limit_no_avatar_is_opened(member_client, media_root, decodes):
    client, member = member_client
    client.post(reverse("community:account_settings"), {"display_name": "A"})
    response = upload(client, picture())
    assert response.status_code == 429
    assert decodes == {"load": 0, "open": 0}


def test_a_suspended_member_gets_no_avatar_opened(member_client, media_root, decodes):
    client, member = member_client
    Profile.for_user(member).suspend("spam")
    response = upload(client, picture())
    assert response.status_code == 200
    assert "suspended" in response.content.decode()
    assert decodes == {"load": 0, "open": 0}
    assert not Profile.objects.get(user=member).avatar
