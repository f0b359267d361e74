"""Posts and the page cache (sharing.pagecache): an approved post shows on
the next anonymous request, on its board, its own page and the product it
reviews; views of a post served from the cache still count."""

import re

import pytest
from django.test import Client
from wagtail.models import Page, Site

from community.posts.models import Post
from community.posts.moderation import moderate_posts
from community.posts.pictures import process_pending
from tests.factories import CommentFactory, PostFactory
from tests.testapp.models import TeaProduct

from .post_helpers import make_board

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def anonymous(n):
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"10.5.4.{n}")


def cached(url, n=1):
    """The page, twice: the second answer comes from the cache."""
    anonymous(n).get(url)
    response = anonymous(n).get(url)
    assert response["X-Page-Cache"] == "hit"
    return response.content.decode()


@pytest.fixture
def home(db):
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_page.specific if site else Page.get_first_root_node()


@pytest.fixture
def board(home):
    return make_board(home)


def post_url(board, post):
    return board.url + board.reverse_subpage("post", args=[post.pk])


def test_an_approved_post_shows_on_the_next_anonymous_request(board, home):
    product = TeaProduct(title="Dragon Well", slug="dragon-well-cache")
    home.add_child(instance=product)
    product.save_revision().publish()
    held = PostFactory(
        board=board,
        title="Worth every leaf",
        kind="review",
        rating=5,
        product=product,
        state="pending",
    )
    assert "Worth every leaf" not in cached(board.url)
    assert "Worth every leaf" not in cached(product.url)
    assert anonymous(1).get(post_url(board, held)).status_code == 404
    moderate_posts([held], "approve")
    for url in (board.url, product.url, post_url(board, held)):
        response = anonymous(2).get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Worth every leaf" in response.content.decode(), url
    feed = anonymous(2).get("/en/community/posts/")
    assert "Worth every leaf" in feed.content.decode()


def test_a_removed_post_leaves_its_board_and_its_page(board):
    post = PostFactory(board=board, title="Cheap watches here")
    assert "Cheap watches here" in cached(board.url)
    assert "Cheap watches here" in cached(post_url(board, post))
    moderate_posts([post], "remove")
    assert "Cheap watches here" not in anonymous(2).get(board.url).content.decode()
    assert anonymous(2).get(post_url(board, post)).status_code == 404


def test_a_post_shows_once_its_pictures_are_ready(board):
    post = PostFactory(board=board, title="Photos coming", processing_pictures=True)
    assert "Photos coming" not in cached(board.url)
    process_pending(post.pk)
    assert "Photos coming" in anonymous(2).get(board.url).content.decode()


def test_a_comment_on_a_post_shows_on_its_page_and_counts_on_its_board(board):
    post = PostFactory(board=board, title="Brewing notes")
    cached(board.url)
    assert "A splendid brew" not in cached(post_url(board, post))
    CommentFactory(content_object=post, comment="A splendid brew")
    assert "A splendid brew" in anonymous(2).get(post_url(board, post)).content.decode()
    assert anonymous(2).get(board.url)["X-Page-Cache"] == "miss"


def test_a_draft_changes_no_cached_page(board):
    cached(board.url)
    draft = PostFactory(board=board, title="Not yet", state="draft")
    draft.title = "Still not yet"
    draft.save()
    assert anonymous(2).get(board.url)["X-Page-Cache"] == "hit"


def test_views_of_a_post_served_from_the_cache_count(board):
    post = PostFactory(board=board, title="Counted")
    url = post_url(board, post)
    first = anonymous(1).get(url)
    assert first["X-Page-Cache"] == "miss"
    # Stored for everyone: with nobody's CSRF token in it.
    assert set(TOKEN.findall(first.content.decode())) <= {""}
    for n in (2, 3, 4):
        assert anonymous(n).get(url)["X-Page-Cache"] == "hit"
    anonymous(4).get(url)  # the same visitor again: once in the window
    robot = Client(HTTP_USER_AGENT="Googlebot/2.1", REMOTE_ADDR="10.5.4.9")
    assert robot.get(url)["X-Page-Cache"] == "hit"
    assert Post.objects.get(pk=post.pk).view_count == 4
