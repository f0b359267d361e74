"""Avatar uploads: hostile files get a clear message and leave nothing behind;
good pictures become square WebP renditions without metadata."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community.models import Profile
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def picture(fmt="JPEG", size=(640, 480), **save):
    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 80)).save(out, format=fmt, **save)
    return out.getvalue()


def jpeg_with_gps():
    image = Image.new("RGB", (800, 600), (200, 60, 60))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[2] = (31.0, 14.0, 0.0)  # GPSLatitude
    gps[4] = (121.0, 28.0, 0.0)  # GPSLongitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert b"SpyCam" in data
    return data


def png_bomb():
    # 20000 × 20000 pixels of one colour compress to a tiny PNG.
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def stored_files(media_root):
    found = []
    for _dir, _subdirs, files in os.walk(media_root / "community"):
        found += files
    return found


@pytest.fixture
def member_client(client):
    member = MemberFactory()
    client.force_login(member)
    return client, member


def upload(client, name, data, content_type="image/jpeg"):
    return client.post(
        reverse("community:account_settings"),
        {
            "display_name": "Wang Fang",
            "avatar_upload": SimpleUploadedFile(name, data, content_type=content_type),
        },
    )


HOSTILE = {
    "wrong type under .jpg": (
        "holiday.jpg",
        b"%PDF-1.4\n1 0 obj<<>>endobj\n" + b"x" * 500,
        "not a picture we can use",
    ),
    "decompression bomb / 20000x20000 px": (
        "bomb.png",
        png_bomb,
        "too many pixels",
    ),
    "20000x20000 px gif": ("wide.gif", "gif:20000", "too many pixels"),
    "9000x9000 px, over the site's limit": (
        "wide.gif",
        "gif:9000",
        "too large (9000 × 9000 pixels)",
    ),
    "truncated file": ("cut.jpg", picture()[:1500], "not a picture we can use"),
    "svg with script": (
        "logo.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "not a picture we can use",
    ),
}


def gif_header(width, height):
    return (
        b"GIF89a"
        + width.to_bytes(2, "little")
        + height.to_bytes(2, "little")
        + b"\x00\x00\x00"
        + b",\x00\x00\x00\x00"
        + width.to_bytes(2, "little")
        + height.to_bytes(2, "little")
        + b"\x00\x02\x02D\x01\x00;"
    )


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_avatar_is_refused_and_nothing_is_stored(member_client, case, settings):
    client, member = member_client
    name, data, message = HOSTILE[case]
    if callable(data):
        data = data()
    if isinstance(data, str):
        side = int(data.split(":")[1])
        data = gif_header(side, side)
    response = upload(client, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="field__error"' in response.content.decode()
    profile = Profile.for_user(member)
    profile.refresh_from_db()
    assert not profile.avatar and not profile.avatar_small
    # The form's other fields were not saved either: nothing half-written.
    assert profile.display_name == ""
    assert stored_files(settings.MEDIA_ROOT) == []


def test_too_large_file_is_refused(member_client, settings):
    client, member = member_client
    settings.COMMUNITY_AVATAR_MAX_UPLOAD_SIZE = 10_000
    response = upload(client, "big.png", picture("PNG", (400, 400)) + b"\0" * 20_000)
    assert "too large" in response.content.decode()
    assert stored_files(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_good_avatar_becomes_square_webp_renditions(member_client, fmt, settings):
    client, member = member_client
    data = jpeg_with_gps() if fmt == "JPEG" else picture(fmt, (300, 500))
    response = upload(client, f"me.{fmt.lower()}", data)
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.display_name == "Wang Fang"
    for field, side in [(profile.avatar, 256), (profile.avatar_small, 64)]:
        with field.open("rb") as f:
            stored = f.read()
        image = Image.open(io.BytesIO(stored))
        assert image.format == "WEBP"
        assert image.size == (side, side)
        assert not image.getexif()
        assert b"SpyCam" not in stored and b"Exif" not in stored
    assert len(stored_files(settings.MEDIA_ROOT)) == 2

    # A new upload replaces the old files; removing leaves none.
    with _on_commit():
        upload(client, "again.png", picture("PNG"))
    assert len(stored_files(settings.MEDIA_ROOT)) == 2
    with _on_commit():
        client.post(
            reverse("community:account_settings"),
            {"display_name": "Wang Fang", "remove_avatar": "on"},
        )
    assert stored_files(settings.MEDIA_ROOT) == []


def _on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture(autouse=True)
def _own_media_root(media_root):
    """Files this module stores go to a folder of their own."""
    return media_root
