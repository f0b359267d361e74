"""Issue 20 (1): pictures never tie up a request. Rights and rate limits come
before any file is opened; oversized pictures are refused by their header;
pixels are decoded in the background task, one full-size frame at most; a
picture that cannot be decoded is dropped with a message to its author."""

import io
import struct
import tracemalloc
import zlib
from pathlib import Path

import pytest
from django.test import override_settings
from PIL import Image, ImageDraw, ImageFile
from wagtail.models import Page, Site

from community import images
from community.models import Profile
from community.posts.models import Post, PostImage
from community.posts.pictures import process_pending, render_post_image
from tests.factories import MemberFactory

from .post_helpers import make_board, png, upload

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
CLEAR_REFS = Path("/proc/self/clear_refs")


def big_png(side=6000):
    """A maximal picture as the red team sent it: 36 MP, ~140 KB."""
    image = Image.new("RGB", (side, side), (200, 180, 120))
    ImageDraw.Draw(image).ellipse((500, 500, side - 500, side - 500), fill=(40, 9, 9))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def undecodable_png():
    """A PNG whose every chunk is well formed (header and checksums pass)
    but whose pixel data is not zlib: only decoding finds out."""
    data = png((40, 30))
    start = data.index(b"IDAT") - 4
    length = struct.unpack(">I", data[start : start + 4])[0]
    junk = b"\x00not zlib at all" * 4
    chunk = b"IDAT" + junk
    idat = struct.pack(">I", len(junk)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return data[:start] + idat + data[start + 12 + length :]


def peak_rss_mb(function):
    """Peak resident memory (MB) above the current one while `function` runs:
    Linux's high-water mark, reset first. tracemalloc cannot see it: Pillow
    allocates pixels with malloc, outside Python's allocator."""
    CLEAR_REFS.write_text("5")
    before = _status("VmRSS")
    function()
    return (_status("VmHWM") - before) / 1024


def _status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


@pytest.fixture
def board(db):
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_page.specific if site else Page.get_first_root_page()
    return make_board(root, who_may_post="members")


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def decodes(monkeypatch):
    """Every picture the community's image code opens (all of it goes through
    `community.images._open`), and every pixel decode of those pictures.
    Other pictures, such as the renditions of the site's share image on the
    page, do not count."""
    calls = {"load": 0, "open": 0}
    load, open_ = ImageFile.ImageFile.load, images._open
    opened = set()

    def counting_load(self, *args, **kwargs):
        if id(self) in opened:
            calls["load"] += 1
        return load(self, *args, **kwargs)

    def counting_open(source, max_pixels):
        calls["open"] += 1
        image = open_(source, max_pixels)
        opened.add(id(image))
        return image

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    monkeypatch.setattr(images, "_open", counting_open)
    return calls


def post_url(board, name="post_new", *args):
    return board.url + board.reverse_subpage(name, args=list(args))


def photo_post(client, board, *files, title="Terraces"):
    return client.post(
        post_url(board),
        {"kind": "photo", "title": title, "images": list(files)},
        **BROWSER,
    )


@override_settings(TASKS=DUMMY_TASKS)
def test_the_request_only_reads_headers(member_client, board, media_root, decodes):
    data = big_png()
    tracemalloc.start()
    try:
        response = photo_post(
            member_client, board, upload(data, "big.png", "image/png")
        )
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 302
    assert decodes["open"] == 1  # the header was read...
    assert decodes["load"] == 0  # ...and not one pixel decoded in the request
    assert peak < 4 * 1024 * 1024, peak
    post = Post.objects.get(board=board)
    assert post.processing_pictures and post.state == Post.State.PUBLISHED
    picture = PostImage.all_objects.get(post=post)
    assert picture.upload and not picture.image
    assert picture.upload.read() == data  # kept as it came until processed


@override_settings(TASKS=DUMMY_TASKS)
def test_processing_post_shows_to_its_author_only(
    member_client, client, board, media_root, django_capture_on_commit_callbacks
):
    photo_post(member_client, board, upload(png(), "a.png", "image/png"))
    post = Post.objects.get(board=board)
    detail = post_url(board, "post", post.pk)
    page = member_client.get(detail, **BROWSER)
    assert page.status_code == 200
    assert "Processing pictures" in page.content.decode()
    visitor = client.__class__()
    assert visitor.get(detail, **BROWSER).status_code == 404
    assert "Terraces" not in visitor.get(board.url, **BROWSER).content.decode()
    assert not Post.objects.published().filter(pk=post.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        process_pending(post.pk)

    post.refresh_from_db()
    assert not post.processing_pictures
    picture = post.images.get()
    assert picture.image and picture.thumbnail and not picture.upload
    page = visitor.get(detail, **BROWSER).content.decode()
    assert picture.image.url in page and "Processing pictures" not in page
    assert list((media_root / "community" / "uploads").iterdir()) == []


@pytest.mark.skipif(not CLEAR_REFS.exists(), reason="needs Linux /proc")
def test_decoding_a_maximal_picture_stays_within_its_memory_cap():
    data = big_png()
    rendered = {}

    def render():
        rendered.update(render_post_image(io.BytesIO(data)))

    # One decoded 6000 × 6000 frame is 144 MB in Pillow; the old code held
    # four copies at once (+550 MB).
    assert peak_rss_mb(render) < 250
    assert (rendered["width"], rendered["height"]) == (1600, 1600)
    detail = Image.open(io.BytesIO(rendered["image"]))
    assert detail.getpixel((800, 800)) != detail.getpixel((5, 5))


def test_jpeg_is_decoded_scaled_down_and_upright():
    image = Image.new("RGB", (4000, 3000), (10, 200, 10))
    image.paste((200, 10, 10), (0, 0, 2000, 3000))  # left half red
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the camera was held upright
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    rendered = render_post_image(io.BytesIO(out.getvalue()))
    detail = Image.open(io.BytesIO(rendered["image"]))
    assert detail.size == (1200, 1600)
    assert not detail.getexif() and "exif" not in detail.info
    top = detail.convert("RGB").getpixel((600, 100))
    assert top[0] > 150 and top[1] < 80  # the left half is now on top


@override_settings(COMMUNITY_POSTS_IMAGE_MAX_PIXELS=1_000_000)
def test_oversized_pictures_are_refused_by_their_header(
    member_client, board, media_root, decodes
):
    response = photo_post(
        member_client, board, upload(big_png(1200), "wide.png", "image/png")
    )
    assert response.status_code == 200
    errors = str(response.context["form"].errors["images"])
    assert "too large (1200 × 1200 pixels)" in errors
    assert decodes["load"] == 0
    assert not Post.objects.filter(board=board).exists()


@override_settings(COMMUNITY_POSTS_RATE_LIMITS={"post": "1/m/user"})
def test_over_the_rate_limit_no_file_is_opened(member_client, board, decodes):
    photo_post(member_client, board, title="First one")
    response = photo_post(
        member_client, board, upload(png(), "a.png", "image/png"), title="Second"
    )
    assert response.status_code == 429
    assert "too fast" in response.content.decode()
    assert decodes == {"load": 0, "open": 0}
    assert not Post.objects.filter(board=board, title="Second").exists()


def test_a_member_who_may_not_post_gets_no_file_opened(
    member_client, member, board, decodes
):
    Profile.for_user(member).suspend("spam")
    response = photo_post(member_client, board, upload(png(), "a.png", "image/png"))
    assert response.status_code == 403
    assert decodes == {"load": 0, "open": 0}
    assert not Post.objects.filter(board=board).exists()


@override_settings(TASKS=DUMMY_TASKS)
def test_a_picture_that_fails_to_decode_is_dropped_with_a_message(
    member_client, client, board, media_root, django_capture_on_commit_callbacks
):
    response = photo_post(
        member_client,
        board,
        upload(png(), "good.png", "image/png"),
        upload(undecodable_png(), "broken.png", "image/png"),
    )
    assert response.status_code == 302  # the header and checksums were fine
    post = Post.objects.get(board=board)
    assert PostImage.all_objects.filter(post=post).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        process_pending(post.pk)

    post.refresh_from_db()
    assert not post.processing_pictures
    assert post.images.count() == 1
    assert PostImage.all_objects.filter(post=post).count() == 1
    detail = post_url(board, "post", post.pk)
    own = member_client.get(detail, **BROWSER).content.decode()
    assert "could not be read as pictures: broken.png" in own
    seen = client.__class__().get(detail, **BROWSER)
    assert seen.status_code == 200
    assert "broken.png" not in seen.content.decode()
    assert list((media_root / "community" / "uploads").iterdir()) == []
