import pytest
from django.utils import translation
from wagtail.models import Locale, Page

from socialsite.website.models import (
    ArticlePage,
    ContactPage,
    HomePage,
    NewsIndexPage,
    ProductIndexPage,
    ProductPage,
    StandardPage,
)

PAGE_TYPES = [
    HomePage,
    StandardPage,
    NewsIndexPage,
    ArticlePage,
    ProductIndexPage,
    ProductPage,
    ContactPage,
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_every_page_type_renders_in_both_languages(client, demo_site, model, language):
    page = (
        model.objects.live()
        .filter(locale__language_code=language)
        .order_by("path")
        .first()
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert page.title in html


def test_interface_is_translated(client, demo_site):
    html = client.get("/zh-hans/").content.decode()
    assert "跳到正文" in html  # "Skip to content"
    assert "最新消息" in html  # "Latest news"
    html = client.get("/en/").content.decode()
    assert "Skip to content" in html


def test_language_switcher_links_to_the_translation(client, demo_site):
    article = ArticlePage.objects.get(
        locale__language_code="en", slug="new-recyclable-tin"
    )
    chinese = article.get_translation(Locale.objects.get(language_code="zh-hans"))
    html = client.get(article.url).content.decode()
    assert f'href="{chinese.url}" lang="zh-hans"' in html
    html = client.get(chinese.url).content.decode()
    assert f'href="{article.url}" lang="en"' in html


def test_root_redirects_to_a_language(client, demo_site):
    response = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"
    response = client.get("/", headers={"accept-language": "en-GB"})
    assert response["Location"] == "/en/"


def test_menu_lists_the_sections_in_the_active_language(client, demo_site):
    html = client.get("/zh-hans/").content.decode()
    for title in ["我们的茶", "新闻", "关于我们", "联系我们"]:
        assert f">{title}</a>" in html


def test_article_shows_date_author_tags_and_image(client, demo_site):
    article = ArticlePage.objects.get(
        locale__language_code="en", slug="spring-harvest-2026"
    )
    html = client.get(article.url).content.decode()
    assert "Lin Yue" in html
    assert 'datetime="2026-04-02"' in html
    assert "?tag=harvest" in html
    assert "<img" in html and 'alt="' in html


def test_news_index_filters_by_tag_and_paginates_safely(client, demo_site):
    index = NewsIndexPage.objects.get(locale__language_code="en")
    html = client.get(index.url, {"tag": "harvest"}).content.decode()
    assert "Spring harvest 2026" in html
    assert "How to brew green tea" not in html
    for bad_page in ["999", "abc", "-1"]:
        assert client.get(index.url, {"page": bad_page}).status_code == 200


def test_product_page_shows_price_and_gallery(client, demo_site):
    product = ProductPage.objects.get(
        locale__language_code="zh-hans", slug="anji-bai-cha"
    )
    html = client.get(product.url).content.decode()
    assert "CNY 168.00" in html
    assert html.count('class="gallery"') == 1
    assert "浙江安吉" in html


def test_unknown_page_gets_the_site_404(client, demo_site):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    response = client.get("/zh-hans/no-such-page/")
    assert "找不到该页面" in response.content.decode()


def test_server_error_page_renders_without_the_database():
    from django.test import RequestFactory

    from socialsite.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_public_pages_send_a_strict_content_security_policy(client, demo_site):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    admin = client.get("/admin/login/")
    assert "'unsafe-inline'" in admin["Content-Security-Policy"]
    # Wagtail's live preview frames admin pages from the same origin.
    assert admin["X-Frame-Options"] == "SAMEORIGIN"


def test_every_live_page_is_reachable(client, demo_site):
    with translation.override("en"):
        pages = Page.objects.live().filter(depth__gt=1).specific()
        for page in pages:
            assert client.get(page.url).status_code == 200, page.url
