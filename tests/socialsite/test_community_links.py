"""The demo's boards are reachable without knowing a post: the menu and the
footer link the community page, which links every board; product pages have
"Write a review" and "Ask a question", opening the Reviews and Q&A boards'
forms with the product chosen. On phones the menu wraps (nothing hides off
screen) and each product's buttons belong to its language's boards."""

import re

import pytest
from django.contrib.auth import get_user_model

from community.posts.models import CommunityBoardPage
from socialsite.website.models import ProductPage

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


def menu(html):
    nav = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav)


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Community"), ("zh-hans", None)]
)
def test_the_menu_links_the_community_page(client, demo_site, language, label):
    html = client.get(f"/{language}/", **BROWSER).content.decode()
    items = menu(html)
    assert items[-1][0] == f"/{language}/community/posts/"
    if label:
        assert items[-1][2] == label
    # The boards themselves are not menu items (the community page has them).
    board_urls = {board.url for board in CommunityBoardPage.objects.live()}
    assert not board_urls & {url for url, _current, _label in items}
    footer = re.search(r'<footer class="site-footer".*?</footer>', html, re.S).group(0)
    assert f'href="/{language}/community/posts/"' in footer


def test_the_community_item_is_current_on_the_community_pages(client, demo_site):
    for url in ("/en/community/posts/", "/en/reviews/", "/en/questions/"):
        items = menu(client.get(url, **BROWSER).content.decode())
        current = [link for link, marked, _label in items if marked]
        assert current == ["/en/community/posts/"], url
    items = menu(client.get("/en/news/", **BROWSER).content.decode())
    assert "/en/community/posts/" not in [link for link, marked, _ in items if marked]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_community_page_links_every_board(client, demo_site, language):
    """The four community boards, and the tastings' photo board (events)."""
    html = client.get(f"/{language}/community/posts/", **BROWSER).content.decode()
    cards = re.search(r'<ul class="board-cards__list">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', cards) == [
        f"/{language}/{slug}/"
        for slug in ("stories", "photo-wall", "reviews", "questions", "tasting-photos")
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_product_pages_ask_for_reviews_and_questions(client, demo_site, language):
    product = ProductPage.objects.live().filter(locale__language_code=language).first()
    html = client.get(product.url, **BROWSER).content.decode()
    buttons = re.search(r'<p class="product-post-buttons">(.*?)</p>', html, re.S).group(
        1
    )
    assert re.findall(r'href="([^"]+)"', buttons) == [
        f"/{language}/reviews/new/?kind=review&amp;product={product.pk}",
        f"/{language}/questions/new/?kind=question&amp;product={product.pk}",
    ]
    # A member following the button finds the product chosen.
    client.force_login(get_user_model().objects.get(username="visitor"))
    form = client.get(
        f"/{language}/reviews/new/?kind=review&product={product.pk}", **BROWSER
    ).content.decode()
    assert f'<option value="{product.pk}" selected>{product.title}</option>' in form
