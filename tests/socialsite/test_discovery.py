import xml.etree.ElementTree as ET

import pytest
from wagtail.models import Page

from community.cjk import cjk_index_terms, cjk_query
from community.posts.models import Post
from tests.caches import clear_cache

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_sitemap_lists_the_live_pages_of_both_languages(client, demo_site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = {
        loc.text
        for loc in ET.fromstring(response.content).findall("s:url/s:loc", SITEMAP_NS)
    }
    live = Page.objects.live().public().filter(depth__gt=1)
    posts = Post.objects.live().select_related("board")
    expected = {page.get_full_url() for page in live}
    expected |= {post.get_full_url() for post in posts}
    assert expected == locations
    assert any("/zh-hans/news/" in url for url in locations)
    assert any("/en/news/" in url for url in locations)


def test_sitemap_leaves_out_unpublished_pages(client, demo_site):
    from socialsite.website.models import ArticlePage

    article = ArticlePage.objects.get(
        locale__language_code="en", slug="new-recyclable-tin"
    )
    article.unpublish()
    clear_cache()
    assert article.get_full_url() not in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize(
    ("path", "content_type", "marker"),
    [
        ("/en/news/feed/", "application/rss+xml", "<rss"),
        ("/en/news/feed/atom/", "application/atom+xml", "<feed"),
        ("/zh-hans/news/feed/", "application/rss+xml", "<rss"),
    ],
)
def test_news_feeds(client, demo_site, path, content_type, marker):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    body = response.content.decode()
    assert marker in body
    if path.startswith("/zh-hans/"):
        assert "2026 春茶季：首批龙井到货" in body
    else:
        assert "Spring harvest 2026: the first Longjing is in" in body
        assert "<category>harvest</category>" in body or 'term="harvest"' in body


@pytest.mark.parametrize(
    ("path", "query", "expected", "absent"),
    [
        ("/en/search/", "Longjing", "West Lake Longjing", "西湖龙井"),
        ("/zh-hans/search/", "龙井", "西湖龙井", "West Lake Longjing"),
        ("/zh-hans/search/", "茶罐", "全新可回收茶罐", None),
        ("/zh-hans/search/", "安吉", "安吉白茶", None),
    ],
)
def test_search_finds_pages_in_the_active_language(
    client, demo_site, path, query, expected, absent
):
    html = client.get(path, {"q": query}).content.decode()
    assert expected in html
    if absent:
        assert absent not in html


def test_search_with_no_match_or_no_query(client, demo_site):
    html = client.get("/en/search/", {"q": "xylophone"}).content.decode()
    assert "Nothing matched" in html
    html = client.get("/en/search/").content.decode()
    assert "result" not in html
    # Hostile input is cut and escaped, never a server error.
    response = client.get("/en/search/", {"q": "<script>" + "x" * 5000, "page": "x"})
    assert response.status_code == 200
    assert "<script>x" not in response.content.decode()


def test_cjk_terms():
    assert cjk_index_terms("<p>西湖龙井 tea</p>") == "西 湖 龙 井 西湖 湖龙 龙井"
    assert cjk_query("西湖龙井") == "西湖 湖龙 龙井"
    assert cjk_query("茶") == "茶"
    assert cjk_query("Longjing 龙井") == "Longjing 龙井"
