"""The demo's absolute URLs follow one rule: the Wagtail Site's root URL, as
`load_demo_data --site-url` sets it (make run: the host and port it serves
on). The sitemap, the news and community feeds, a post's canonical URL and a
product's JSON-LD say it, whatever Host header the request came with; and
django.contrib.sites says the same instead of "example.com"."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.sites.models import Site as DjangoSite
from wagtail.models import Site

from community.posts.models import Post
from socialsite.website.management.commands.load_demo_data import Command
from socialsite.website.models import ProductPage

ROOT = "http://127.0.0.1:8765"
ELSEWHERE = {"HTTP_HOST": "localhost", "HTTP_USER_AGENT": "Mozilla/5.0"}
NAMESPACES = (
    "http://www.w3.org/",
    "http://purl.org/",
    "http://www.sitemaps.org/",
    "https://schema.org",
)


@pytest.fixture
def served(demo_site):
    Command().set_site_url(ROOT)
    return Site.objects.get(is_default_site=True)


def absolute_urls(text):
    return [
        url
        for url in re.findall(r"https?://[^\s\"<>]+", text)
        if not url.startswith(NAMESPACES)
    ]


def assert_on_root(text):
    urls = absolute_urls(text)
    assert urls
    wrong = [url for url in urls if not url.startswith(ROOT + "/")]
    assert not wrong, wrong


def test_site_url_sets_both_sites(served):
    assert served.root_url == ROOT
    django_site = DjangoSite.objects.get(pk=settings.SITE_ID)
    assert (django_site.domain, django_site.name) == ("127.0.0.1:8765", "Cloudmist Tea")


def test_the_sitemap(client, served):
    xml = client.get("/sitemap.xml", **ELSEWHERE).content.decode()
    assert f"<loc>{ROOT}/en/</loc>" in xml and f"<loc>{ROOT}/zh-hans/</loc>" in xml
    assert_on_root(xml)


@pytest.mark.parametrize(
    "path", ["/en/news/feed/", "/en/news/feed/atom/", "/zh-hans/news/feed/"]
)
def test_the_news_feeds(client, served, path):
    response = client.get(path, **ELSEWHERE)
    assert response.status_code == 200
    xml = response.content.decode()
    assert f'href="{ROOT}{path}"' in xml  # the feed's own address
    assert_on_root(xml)


def test_a_community_boards_feed(client, served):
    xml = client.get("/en/stories/feed/", **ELSEWHERE).content.decode()
    assert f"<link>{ROOT}/en/stories/</link>" in xml
    assert_on_root(xml)
    assert "**" not in xml


def test_a_posts_canonical_url_and_og_url(client, served):
    post = Post.objects.filter(board__slug="stories", state="published").first()
    path = post.get_url()
    html = client.get(path, **ELSEWHERE).content.decode()
    assert f'<link rel="canonical" href="{ROOT}{path}">' in html
    assert f'<meta property="og:url" content="{ROOT}{path}">' in html


def test_a_products_json_ld(client, served):
    product = ProductPage.objects.get(
        locale__language_code="en", slug="west-lake-longjing"
    )
    html = client.get(product.url, **ELSEWHERE).content.decode()
    blocks = [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        )
    ]
    products = [block for block in blocks if block.get("@type") == "Product"]
    assert products
    for block in products:
        assert block["url"] == f"{ROOT}{product.url}"
    assert_on_root(json.dumps(blocks))
