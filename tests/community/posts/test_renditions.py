"""Post pictures come in sizes fit for each use: a 480 px square for lists,
800 px and 1600 px WebP for the post's page (srcset), JPEG fallbacks for
browsers without WebP (<picture>), and a 1200 × 630 JPEG for link previews
(og:image). All without metadata, made in the background task; deleted with
the post; remade for older pictures by `manage.py posts_make_renditions`."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from PIL import Image
from wagtail.models import Page, Site

from community.posts.models import Post, PostImage, fitted_size
from community.posts.services import delete_post
from tests.factories import MemberFactory

from .post_helpers import jpeg_with_gps, make_board, upload

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


@pytest.fixture
def board(db):
    site = Site.objects.filter(is_default_site=True).first()
    home = site.root_page.specific if site else Page.get_first_root_page()
    return make_board(home)


@pytest.fixture
def member_client(client):
    client.force_login(MemberFactory())
    return client


def transparent_png(size=(600, 600)):
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((200, 40, 40, 255), (100, 100, 500, 500))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def stored(name):
    return Image.open(default_storage.open(name))


@override_settings(SHARING_PAGE_CACHE=False)
def test_a_photo_gets_every_rendition(member_client, board, media_root):
    response = member_client.post(
        board.url + "new/",
        {
            "kind": "photo",
            "title": "Terraces",
            "images": [
                upload(jpeg_with_gps(size=(2400, 1600))),
                upload(transparent_png(), "t.png", "image/png"),
            ],
        },
        **BROWSER,
    )
    assert response.status_code == 302
    post = Post.objects.get(board=board)
    big, clear = post.images.all()
    assert (big.width, big.height) == (1600, 1067)
    expected = {
        "medium": ("WEBP", (800, 534)),
        "medium_jpeg": ("JPEG", (800, 534)),
        "share": ("JPEG", (1200, 630)),
        "thumbnail_jpeg": ("JPEG", (480, 480)),
    }
    for key, (fmt, size) in expected.items():
        image = stored(big.rendition_name(key))
        assert (image.format, image.size) == (fmt, size), key
        assert not image.getexif() and "exif" not in image.info, key
    assert big.medium_size() == (800, 534)
    # Transparency becomes white in the JPEG fallbacks.
    fallback = stored(clear.rendition_name("thumbnail_jpeg")).convert("RGB")
    assert fallback.getpixel((5, 5)) == (255, 255, 255)

    page = member_client.get(post.get_url(), **BROWSER).content.decode()
    picture = re.search(r"<picture>(.*?)</picture>", page, re.S).group(1)
    assert (
        f'<source type="image/webp" srcset="{big.medium_url()} 800w, '
        f'{big.image.url} 1600w"' in picture
    )
    assert f'<img src="{big.medium_jpeg_url()}"' in picture
    assert 'width="800" height="534"' in picture
    assert big.image.url in page  # the full picture, one tap away

    listing = member_client.get(board.url, **BROWSER).content.decode()
    card = re.search(r'<picture class="post-card__picture">(.*?)</picture>', listing)
    assert f'srcset="{big.thumbnail.url}"' in card.group(1)
    assert f'src="{big.thumbnail_jpeg_url()}"' in card.group(1)

    og = dict(re.findall(r'<meta property="(og:image[^"]*)" content="([^"]*)"', page))
    assert og["og:image"].endswith(big.share_url())
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "630")

    names = [name for picture in (big, clear) for name in picture.file_names()]
    assert len(names) == 12 and all(default_storage.exists(name) for name in names)
    with django_capture_on_commit():
        delete_post(post)
    assert not any(default_storage.exists(name) for name in names)


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


@override_settings(SHARING_PAGE_CACHE=False)
def test_a_small_picture_is_never_enlarged(member_client, board, media_root):
    member_client.post(
        board.url + "new/",
        {
            "kind": "photo",
            "title": "Tiny",
            "images": [upload(jpeg_with_gps((300, 200)))],
        },
        **BROWSER,
    )
    picture = PostImage.objects.get(post__board=board)
    assert picture.share_size() == (300, 158)
    assert stored(picture.rendition_name("share")).size == (300, 158)
    assert stored(picture.rendition_name("medium")).size == (300, 200)
    assert picture.webp_srcset() == f"{picture.medium_url()} 300w"


@pytest.mark.parametrize(
    ("size", "longest"), [((2400, 1600), 800), ((1000, 3), 800), ((3, 1000), 800)]
)
def test_fitted_size_is_pillows(size, longest):
    image = Image.new("RGB", size)
    image.thumbnail((longest, longest))
    assert fitted_size(*size, longest) == image.size


def test_older_pictures_get_their_missing_renditions(member_client, board, media_root):
    member_client.post(
        board.url + "new/",
        {"kind": "photo", "title": "Old", "images": [upload(jpeg_with_gps())]},
        **BROWSER,
    )
    picture = PostImage.objects.get(post__board=board)
    for key in ("medium", "share"):
        default_storage.delete(picture.rendition_name(key))
    # Pictures of other tests' data (the demo's) have no files in this
    # media folder: each of them fails, and the command goes on.
    others = PostImage.objects.exclude(pk=picture.pk).count()
    out = io.StringIO()
    call_command("posts_make_renditions", stdout=out)
    assert f"2 renditions made, {others} pictures failed" in out.getvalue()
    assert stored(picture.rendition_name("share")).size == (800, 420)
    out = io.StringIO()
    call_command("posts_make_renditions", stdout=out)
    assert "0 renditions made" in out.getvalue()
