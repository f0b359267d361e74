"""What the demo site tells search engines: hreflang alternates (with
x-default) and a meta description in every page's head, the same alternates
in the sitemap, community posts in the sitemap, and robots.txt."""

import re
from xml.etree import ElementTree

import pytest
from django.urls import resolve, reverse
from django.utils import translation
from wagtail.models import Page

from community.posts.models import CommunityBoardPage, Post
from sharing.meta import DESCRIPTION_LENGTH
from socialsite.website.models import NewsIndexPage, StandardPage

ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def head(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html[: html.index("</head>")]


def demo_pages():
    return list(Page.objects.live().public().filter(depth__gt=1).specific())


def expected_alternates(page, root_url):
    """(hreflang, URL) of the live translations of `page`, then x-default."""
    pairs = sorted(
        (
            ("en" if t.locale.language_code == "en" else "zh-Hans"),
            root_url + t.url,
        )
        for t in page.get_translations(inclusive=True).live()
    )
    english = dict(pairs).get("en", pairs[0][1])
    return [*pairs, ("x-default", english)]


def test_every_page_has_alternates_and_a_description(client, demo_site):
    pages = demo_pages()
    assert {type(page).__name__ for page in pages} >= {
        "HomePage",
        "StandardPage",
        "NewsIndexPage",
        "ArticlePage",
        "ProductIndexPage",
        "ProductPage",
        "ContactPage",
        "CommunityBoardPage",
    }
    for page in pages:
        html = head(client, page.url)
        assert ALTERNATE.findall(html) == expected_alternates(
            page, demo_site.root_url
        ), page.url
        [description] = DESCRIPTION.findall(html)
        assert description.strip(), page.url
        assert len(description) <= DESCRIPTION_LENGTH, page.url
        assert "<" not in description and "**" not in description, page.url


def test_the_description_is_the_search_description_else_the_first_paragraph(
    client, demo_site
):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    news.search_description = "Tea news & notes."
    news.save()
    assert DESCRIPTION.findall(head(client, news.url)) == ["Tea news &amp; notes."]

    about = StandardPage.objects.get(locale__language_code="zh-hans", slug="about")
    about.intro = ""
    about.save()
    first = next(block.value for block in about.body if block.block_type == "paragraph")
    text = re.sub(r"<[^>]+>", "", re.search(r"<p>(.*?)</p>", str(first)).group(1))
    [description] = DESCRIPTION.findall(head(client, about.url))
    assert description.rstrip("…")[:20] == text[:20]


def test_posts_name_their_language_and_x_default(client, demo_site):
    post = Post.objects.live().filter(board__locale__language_code="zh-hans").first()
    url = post.get_full_url()
    assert ALTERNATE.findall(head(client, post.get_url())) == [
        ("zh-Hans", url),
        ("x-default", url),
    ]


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    return {
        entry.findtext(f"{SITEMAP}loc"): [
            (link.get("hreflang"), link.get("href"))
            for link in entry.findall(f"{XHTML}link")
        ]
        for entry in tree.findall(f"{SITEMAP}url")
    }


def test_the_sitemap_has_the_same_alternates_and_the_posts(client, demo_site):
    entries = sitemap_entries(client)
    root = demo_site.root_url
    for page in demo_pages():
        assert entries[root + page.url] == expected_alternates(page, root)
    posts = Post.objects.live()
    assert posts.count() >= 8
    for post in posts:
        url = post.get_full_url()
        assert url.startswith(root)
        assert url in entries
    hidden = Post.objects.exclude(pk__in=posts.values("pk"))
    for post in hidden:
        assert post.get_full_url() not in entries


def test_robots_txt(client, demo_site):
    # Absolute URLs come from the Wagtail Site, never from the Host header.
    response = client.get("/robots.txt", HTTP_HOST="evil.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {demo_site.root_url}/sitemap.xml" in lines
    disallowed = {
        line.split(": ", 1)[1] for line in lines if line.startswith("Disallow")
    }
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert {
                "/admin/",
                "/accounts/",
                reverse("search"),
                reverse("community:account_settings"),
            } <= disallowed
            share = reverse(
                "sharing:share", kwargs={"platform": "x", "kind": "page", "pk": 1}
            )
            assert share.startswith(f"/{language}/share/")
            assert f"/{language}/share/" in disallowed
    assert resolve(reverse("account_login")).route.startswith("accounts/")
    # Everything visitors read stays open to crawlers.
    for path in ("/en/", "/zh-hans/news/", "/en/stories/", "/en/community/posts/"):
        assert not any(path.startswith(prefix) for prefix in disallowed), path


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_boards_appear_in_the_sitemap(client, demo_site, language):
    entries = sitemap_entries(client)
    boards = CommunityBoardPage.objects.live().filter(locale__language_code=language)
    assert boards.exists()
    for board in boards:
        assert board.get_full_url() in entries
