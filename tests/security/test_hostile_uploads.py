"""Hostile uploads against the two ways visitors send pictures, avatars and
post pictures: polyglots, active formats, truncated files, decompression
bombs, lying names, empty and oversized files are refused with nothing stored
(no file in the media folder, no row); an accepted photo keeps nothing of its
metadata (GPS position, camera) in any file stored from it, and no upload is
ever stored under a name a server would serve as a page."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image, ImageFile

from community import app_settings as community_settings
from community.models import Profile
from community.posts import app_settings as posts_settings
from community.posts.models import Post, PostImage
from community.posts.pictures import process_pending

from .conftest import stored_files

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}
# Tasks wait (the immediate backend of the tests runs them in the request).
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Served by any web server as something a browser runs or renders as a page.
ACTIVE_EXTENSIONS = (".html", ".htm", ".xhtml", ".svg", ".svgz", ".xml", ".js")


def chunk(kind, payload):
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def png(size=(300, 200), colour=(40, 120, 80), text=None):
    out = io.BytesIO()
    image = Image.new("RGB", size, colour)
    if text is None:
        image.save(out, format="PNG")
        return out.getvalue()
    data = io.BytesIO()
    image.save(data, format="PNG")
    raw = data.getvalue()
    end = raw.index(b"IEND") - 4
    return raw[:end] + chunk(b"tEXt", b"Comment\x00" + text) + raw[end:]


def jpeg_with_gps(size=(1200, 900)):
    image = Image.new("RGB", size, (90, 140, 60))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0110] = "SpyCam Model 7"  # Model
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 7.0), 3: "E", 4: (120.0, 9.0, 3.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert b"SpyCam" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return data


def gif_js_polyglot():
    """A GIF that is also a script: "GIF89a/*...*/=alert(1)//". Its width
    is what the bytes "/*" say: 10,799 pixels."""
    screen = b"/*" + struct.pack("<H", 10) + b"\x00\x00\x00"
    image = b"\x2c" + struct.pack("<HHHH", 0, 0, 1, 1) + b"\x00\x02\x02\x44\x01\x00"
    script = b"*/=alert(document.domain);//"
    comment = b"\x21\xfe" + bytes([len(script)]) + script + b"\x00"
    return b"GIF89a" + screen + image + comment + b"\x3b"


def html_with_png_header():
    return PNG_SIGNATURE + b"<html><body><script>alert(1)</script></body></html>"


def svg_with_script():
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(2)</script><rect width='10' height='10'/></svg>"
    )


def truncated_png():
    data = png((300, 200))
    return data[: len(data) * 2 // 3]


def png_bomb(side=30_000):
    """A PNG whose header says 30,000 × 30,000 pixels (900 megapixels) over a
    few bytes of pixel data, every checksum right."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 4096, 9)
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def webp_bomb(side=6000):
    """A lossless WebP of one colour: 36 megapixels in ~2 KB. Pillow decodes
    a WebP whole, at ~15 bytes per pixel."""
    out = io.BytesIO()
    Image.new("RGB", (side, side), (200, 180, 120)).save(out, "WEBP", lossless=True)
    return out.getvalue()


def oversized_png(limit):
    """A real PNG one kilobyte over `limit` bytes (a large text chunk)."""
    data = png((40, 30))
    end = data.index(b"IEND") - 4
    padding = b"x" * (limit - len(data) + 1024)
    return data[:end] + chunk(b"tEXt", b"Comment\x00" + padding) + data[end:]


# (name, content type, bytes or a callable of the size limit)
HOSTILE = {
    "gif-js-polyglot": ("photo.gif", "image/gif", gif_js_polyglot),
    "html-png-header": ("photo.png", "image/png", html_with_png_header),
    "svg-script": ("photo.svg", "image/svg+xml", svg_with_script),
    "truncated-png": ("photo.png", "image/png", truncated_png),
    "png-bomb": ("photo.png", "image/png", png_bomb),
    "webp-bomb": ("photo.webp", "image/webp", webp_bomb),
    "html-as-jpg": (
        "photo.jpg",
        "image/jpeg",
        lambda: b"<!doctype html><script>alert(1)</script>",
    ),
    "zero-bytes": ("photo.jpg", "image/jpeg", lambda: b""),
    "over-size-limit": ("photo.png", "image/png", None),
}


def hostile_file(case, limit):
    name, content_type, make = HOSTILE[case]
    data = oversized_png(limit) if make is None else make()
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_pictures(client, board, *files, title="Terraces at dawn"):
    return client.post(
        board.url + board.reverse_subpage("post_new"),
        {"kind": "photo", "title": title, "images": list(files)},
        **BROWSER,
    )


def upload_avatar(client, uploaded):
    return client.post(
        reverse("community:account_settings"),
        {"display_name": "Wang Fang", "avatar_upload": uploaded},
        **BROWSER,
    )


def assert_clean(path):
    """`path` (a stored file) is a picture we made: no EXIF, no GPS, nothing
    of the camera's metadata."""
    data = path.read_bytes()
    assert b"SpyCam" not in data, path
    assert b"Exif" not in data, path
    image = Image.open(path)
    assert not image.getexif(), path
    assert "exif" not in image.info and "xmp" not in image.info, path


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_post_picture_is_refused_and_nothing_stored(
    case, client, member, board, media_root, django_capture_on_commit_callbacks
):
    client.force_login(member)
    uploaded = hostile_file(case, posts_settings.IMAGE_MAX_UPLOAD_SIZE)
    pictures_before = PostImage.all_objects.count()  # the demo's, if loaded
    with django_capture_on_commit_callbacks(execute=True):
        response = post_pictures(client, board, uploaded)
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors["images"]
    assert not Post.objects.filter(board=board).exists()
    assert PostImage.all_objects.count() == pictures_before
    assert stored_files(media_root) == []


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_avatar_is_refused_and_nothing_stored(
    case, client, member, media_root, django_capture_on_commit_callbacks
):
    client.force_login(member)
    uploaded = hostile_file(case, community_settings.AVATAR_MAX_UPLOAD_SIZE)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_avatar(client, uploaded)
    assert response.status_code == 200
    assert response.context["form"].errors["avatar_upload"]
    assert not Profile.objects.get(user=member).avatar
    assert stored_files(media_root) == []


def test_one_hostile_picture_refuses_the_whole_post(
    client, member, board, media_root, django_capture_on_commit_callbacks
):
    client.force_login(member)
    good = SimpleUploadedFile("good.png", png(), content_type="image/png")
    bad = hostile_file("svg-script", 0)
    pictures_before = PostImage.all_objects.count()  # the demo's, if loaded
    with django_capture_on_commit_callbacks(execute=True):
        response = post_pictures(client, board, good, bad)
    assert response.status_code == 200
    assert PostImage.all_objects.count() == pictures_before
    assert stored_files(media_root) == []


def test_gps_is_stripped_from_a_post_picture_and_its_renditions(
    client, member, board, media_root, django_capture_on_commit_callbacks
):
    client.force_login(member)
    uploaded = SimpleUploadedFile("holiday.jpg", jpeg_with_gps(), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_pictures(client, board, uploaded)
    assert response.status_code == 302
    picture = PostImage.all_objects.get(post__board=board)
    assert picture.image and picture.thumbnail and not picture.upload
    files = stored_files(media_root)
    # The picture, its thumbnail and their derived renditions; the upload
    # as it came is gone.
    assert len(files) >= 2
    assert not any(name.startswith("community/uploads/") for name in files)
    for name in files:
        assert_clean(media_root / name)


def test_gps_is_stripped_from_an_avatar(
    client, member, media_root, django_capture_on_commit_callbacks
):
    client.force_login(member)
    uploaded = SimpleUploadedFile("me.jpg", jpeg_with_gps(), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_avatar(client, uploaded)
    assert response.status_code == 302
    assert Profile.objects.get(user=member).avatar
    files = stored_files(media_root)
    assert files and not any(name.startswith("community/uploads/") for name in files)
    for name in files:
        assert_clean(media_root / name)


@override_settings(TASKS=DUMMY_TASKS)
@pytest.mark.parametrize("name", ["photo.html", "photo.svg", "photo.png.htm"])
def test_a_picture_with_an_active_name_is_never_stored_under_it(
    name, client, member, board, media_root, django_capture_on_commit_callbacks
):
    """A real PNG carrying a page in a text chunk, named to be served as a
    page: it is a picture, so it is taken, but it waits for its renditions
    under an inert name, and what stays is our own re-encoding of it."""
    client.force_login(member)
    payload = b"<html><script>alert(document.domain)</script></html>"
    data = png((400, 300), text=payload)
    uploaded = SimpleUploadedFile(name, data, content_type="text/html")
    response = post_pictures(client, board, uploaded)
    assert response.status_code == 302
    waiting = stored_files(media_root)
    assert len(waiting) == 1 and waiting[0].startswith("community/uploads/")
    assert not waiting[0].lower().endswith(ACTIVE_EXTENSIONS)
    picture = PostImage.all_objects.get(post__board=board)
    assert picture.upload_display_name() == name

    post = Post.objects.get(board=board)
    with django_capture_on_commit_callbacks(execute=True):
        process_pending(post.pk)
    files = stored_files(media_root)
    assert files and not any(name.startswith("community/uploads/") for name in files)
    for stored in files:
        assert not stored.lower().endswith(ACTIVE_EXTENSIONS)
        assert payload not in (media_root / stored).read_bytes()


def test_a_hostile_avatar_never_opened_past_its_header(
    client, member, media_root, monkeypatch
):
    """The bomb is refused from its header: Pillow never decodes a pixel of
    it, in the request or anywhere else."""
    loads = []
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda self, *a, **k: loads.append(self)
    )
    client.force_login(member)
    response = upload_avatar(
        client, SimpleUploadedFile("b.png", png_bomb(), content_type="image/png")
    )
    assert "megapixels" in str(response.context["form"].errors["avatar_upload"])
    assert loads == []
