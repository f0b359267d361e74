"""The language switcher on every kind of URL: a page and its translation, a
page without one, a view under the language prefix (search, community), a
view outside it (allauth's /accounts/… pages, switched through Django's
set_language), and the 404 page."""

import re

import pytest
from django.test import Client
from wagtail.models import Locale

from socialsite.website.models import ArticlePage, HomePage, StandardPage


def switcher(html):
    return html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]


def links(html):
    return {
        code: href.replace("&amp;", "&")
        for href, code in re.findall(
            r'<a href="([^"]*)" lang="([^"]+)" hreflang', switcher(html)
        )
    }


def forms(html):
    return {
        code: next_url.replace("&amp;", "&")
        for next_url, code in re.findall(
            r'name="next" value="([^"]*)"><button[^>]* value="([^"]+)"',
            switcher(html),
        )
    }


def test_a_page_links_to_its_translation(client, demo_site):
    article = ArticlePage.objects.get(
        locale__language_code="en", slug="new-recyclable-tin"
    )
    chinese = article.get_translation(Locale.objects.get(language_code="zh-hans"))
    html = client.get(article.url).content.decode()
    assert links(html) == {"en": article.url, "zh-hans": chinese.url}
    assert not forms(html)


def test_a_page_without_a_translation_links_to_the_other_home(client, demo_site):
    home = HomePage.objects.get(locale__language_code="en")
    lonely = home.add_child(
        instance=StandardPage(title="Only in English", slug="only-in-english")
    )
    lonely.save_revision().publish()
    zh_home = home.get_translation(Locale.objects.get(language_code="zh-hans"))
    html = client.get(lonely.url).content.decode()
    assert links(html) == {"en": lonely.url, "zh-hans": zh_home.url}


@pytest.mark.parametrize(
    "path, chinese",
    [
        ("/en/search/?q=%E9%BE%99%E4%BA%95", "/zh-hans/search/?q=%E9%BE%99%E4%BA%95"),
        ("/en/community/posts/", "/zh-hans/community/posts/"),
    ],
)
def test_a_view_under_the_language_prefix_keeps_its_path_and_query(
    client, demo_site, path, chinese
):
    html = client.get(path).content.decode()
    assert links(html) == {"en": path, "zh-hans": chinese}
    html = client.get(chinese).content.decode()
    assert links(html)["en"] == path


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/confirm-email/",
    ],
)
def test_every_account_page_switches_with_a_form(demo_site, path):
    client = Client(enforce_csrf_checks=True)
    html = client.get(path).content.decode()
    assert '<html lang="en"' in html
    assert not links(html)
    assert forms(html) == {"en": path, "zh-hans": path}
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    response = client.post(
        "/i18n/setlang/",
        {"language": "zh-hans", "next": path, "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302 and response["Location"] == path
    html = client.get(path).content.decode()
    assert '<html lang="zh-hans"' in html
    # The Chinese page offers English back, from the same URL.
    assert re.search(r'value="en" lang="en">English</button>', switcher(html))


def test_sign_in_in_chinese_goes_on_in_chinese(demo_site):
    client = Client(enforce_csrf_checks=True)
    html = client.get("/accounts/login/?next=/en/community/posts/").content.decode()
    targets = forms(html)
    # Where the visitor goes after signing in follows the language too.
    assert targets == {
        "en": "/accounts/login/?next=/en/community/posts/",
        "zh-hans": "/accounts/login/?next=/zh-hans/community/posts/",
    }
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        "/i18n/setlang/",
        {
            "language": "zh-hans",
            "next": targets["zh-hans"],
            "csrfmiddlewaretoken": token,
        },
    )
    html = client.get(response["Location"]).content.decode()
    assert '<html lang="zh-hans"' in html and "登录" in html
    assert 'name="next" value="/zh-hans/community/posts/"' in html


@pytest.mark.parametrize(
    "query",
    ["?next=//evil.example/", "?next=https://evil.example/", "?next=%00"],
)
def test_an_off_site_next_is_never_translated_nor_followed(client, demo_site, query):
    response = client.get("/accounts/login/" + query)
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        for target in forms(response.content.decode()).values():
            assert target.startswith("/accounts/login/?")
            assert "/zh-hans/" not in target
    response = client.post(
        "/i18n/setlang/", {"language": "zh-hans", "next": "https://evil.example/"}
    )
    assert "evil.example" not in response.get("Location", "")


def test_the_404_page_links_to_each_home(client, demo_site):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert links(response.content.decode()) == {"en": "/en/", "zh-hans": "/zh-hans/"}
