"""Community posts on the demo site: the popular-posts block of the home page
and the site search."""

import pytest

from community.posts.services import search_posts
from tests.community.posts.post_helpers import make_board
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


@pytest.fixture
def board(demo_site):
    return make_board(demo_site.root_page.specific)


def test_popular_now_block_on_the_demo_home_page(client, demo_site):
    page = client.get("/en/", **BROWSER).content.decode()
    assert "Popular in the community" in page
    assert "/en/community/posts/" in page
    page = client.get("/zh-hans/", **BROWSER).content.decode()
    assert "社区热门" in page


def test_site_search_finds_posts_in_english_and_chinese(client, board, demo_site):
    PostFactory(board=board, title="Jasmine pearls at dusk")
    zh = PostFactory(board=board, title="茉莉花茶的香气", language="zh-hans")
    PostFactory(board=board, title="Jasmine secret", state="draft")
    page = client.get("/en/search/?q=jasmine", **BROWSER).content.decode()
    assert "Jasmine pearls at dusk" in page and "Jasmine secret" not in page
    assert search_posts("花茶", language="zh-hans") == [zh]
