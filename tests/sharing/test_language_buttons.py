"""Share buttons per language (Settings → Sharing), the E-mail button that
opens the mail program in place, and Mastodon's page that asks for the
visitor's server."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from sharing.models import ShareButtonSet, ShareCount, SharingSettings, match_language
from tests.factories import UserFactory


def buttons(client, page, language="en"):
    response = client.get(f"/{language}/{page.slug}/")
    assert response.status_code == 200
    return re.findall(r'data-platform="([^"]+)"', response.content.decode())


def button_set(site, language, *ids):
    settings = SharingSettings.for_site(site)
    return ShareButtonSet.objects.create(
        settings=settings,
        language=language,
        platforms=[("platform", platform_id) for platform_id in ids],
    )


def test_each_language_shows_its_own_buttons(browser_client, shared_page):
    site = shared_page.get_site()
    button_set(site, "zh-hans", "wechat", "weibo", "qq", "douban")
    button_set(site, "en", "x", "facebook", "linkedin", "whatsapp")
    assert buttons(browser_client, shared_page, "zh-hans") == [
        "wechat",
        "weibo",
        "qq",
        "douban",
    ]
    assert buttons(browser_client, shared_page, "en") == [
        "x",
        "facebook",
        "linkedin",
        "whatsapp",
    ]


def test_a_language_without_a_set_gets_the_general_list(browser_client, shared_page):
    site = shared_page.get_site()
    settings = SharingSettings.for_site(site)
    settings.share_platforms = [("platform", "reddit"), ("platform", "email")]
    settings.save()
    button_set(site, "zh-hans", "weibo")
    assert buttons(browser_client, shared_page, "en") == ["reddit", "email"]
    assert buttons(browser_client, shared_page, "zh-hans") == ["weibo"]


def test_defaults_per_language_then_the_general_default(share_site):
    settings = SharingSettings.for_site(share_site)
    assert [p.id for p in settings.share_platform_list("zh-hans")][:4] == [
        "wechat",
        "weibo",
        "qq",
        "douban",
    ]
    assert [p.id for p in settings.share_platform_list("en-gb")][:4] == [
        "x",
        "facebook",
        "linkedin",
        "whatsapp",
    ]
    with override_settings(
        SHARING_LANGUAGE_SHARE_PLATFORMS={"zh": ["douban", "weibo"]},
        SHARING_DEFAULT_SHARE_PLATFORMS=["email"],
    ):
        assert [p.id for p in settings.share_platform_list("zh-hans")] == [
            "douban",
            "weibo",
        ]
        assert [p.id for p in settings.share_platform_list("fr")] == ["email"]


@pytest.mark.parametrize(
    "language, codes, match",
    [
        ("zh-hans", ["en", "zh-hans"], "zh-hans"),
        ("zh-Hans", ["en", "zh-hans"], "zh-hans"),
        ("zh-hans", ["en", "zh"], "zh"),
        ("zh", ["en", "zh-hans"], "zh-hans"),
        ("en-gb", ["en", "zh-hans"], "en"),
        ("fr", ["en", "zh-hans"], None),
        ("", ["en"], None),
    ],
)
def test_language_matching(language, codes, match):
    assert match_language(language, codes) == match


def test_button_sets_cost_one_query_per_request(
    browser_client, shared_page, django_assert_max_num_queries
):
    site = shared_page.get_site()
    button_set(site, "en", "x", "email")
    button_set(site, "zh-hans", "weibo")
    settings = SharingSettings.for_site(site)
    settings.refresh_from_db()
    with django_assert_max_num_queries(1):
        settings.share_platform_list("en")
        settings.share_platform_list("zh-hans")
        settings.share_platform_list("fr")


def test_the_admin_refuses_two_sets_for_one_language(client, share_site):
    admin = UserFactory(is_staff=True, is_superuser=True)
    admin.save()
    client.force_login(admin)
    url = reverse(
        "wagtailsettings:edit", args=["sharing", "sharingsettings", share_site.pk]
    )
    page = client.get(url).content.decode()
    # The language is chosen from the site's languages.
    assert '<option value="zh-hans">' in page and "Share buttons per language" in page
    row = {"language": "zh-hans", "platforms": streamfield([("platform", "weibo")])}
    data = nested_form_data(
        {
            "share_platforms": streamfield([]),
            "button_sets": inline_formset([row, dict(row)]),
            "default_share_image": "",
            "wechat_app_id": "",
            "wechat_app_secret": "",
            "accounts": inline_formset([]),
        }
    )
    sets_before = ShareButtonSet.objects.count()  # the demo's, if loaded
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for settings and language" in (
        response.content.decode()
    )
    assert ShareButtonSet.objects.count() == sets_before


def test_the_email_button_opens_the_mail_program_in_place(browser_client, shared_page):
    button_set(shared_page.get_site(), "en", "x", "email", "mastodon")
    html = browser_client.get(f"/en/{shared_page.slug}/").content.decode()
    tags = {
        platform: tag
        for tag, platform in re.findall(
            r'(<a class="sharing__button"[^>]*data-platform="(\w+)"[^>]*>)', html
        )
    }
    assert set(tags) == {"x", "email", "mastodon"}
    assert 'target="_blank"' in tags["x"]
    assert 'target="_blank"' not in tags["email"]
    assert (
        "(opens in a new tab)"
        not in html.split('data-platform="email"')[1].split("</a>")[0]
    )
    # Followed without a new tab, the endpoint sends the mail program's link.
    response = browser_client.get(f"/en/share/email/page/{shared_page.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("mailto:?subject=Spring%20tea&body=")


def instance_page(client, page, query=""):
    return client.get(f"/en/share/instance/mastodon/page/{page.pk}/{query}")


def test_mastodon_asks_for_the_server(browser_client, shared_page):
    button_set(shared_page.get_site(), "en", "mastodon")
    html = browser_client.get(f"/en/{shared_page.slug}/").content.decode()
    # The button counts the share through the endpoint, which opens our page.
    assert f'href="/en/share/mastodon/page/{shared_page.pk}/"' in html
    response = browser_client.get(f"/en/share/mastodon/page/{shared_page.pk}/")
    assert response["Location"] == (
        f"/en/share/instance/mastodon/page/{shared_page.pk}/"
    )
    assert ShareCount.objects.get().platform == "mastodon"

    response = instance_page(browser_client, shared_page)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="instance"' in html and 'placeholder="mastodon.social"' in html
    assert 'name="robots" content="noindex"' in html
    # The script fills in the server this browser remembers.
    template = re.search(r'data-template="([^"]+)"', html).group(1)
    assert template.startswith("https://{instance}/share?text=Spring%20tea%20http")
    assert "/static/sharing/sharing.js" in html
    assert "data-instance-link" not in html


def test_the_server_page_links_to_the_visitors_server(browser_client, shared_page):
    response = instance_page(
        browser_client, shared_page, "?instance=%40me%40Fosstodon.org"
    )
    # A link the visitor follows, showing the server: never a redirect.
    assert response.status_code == 200
    html = response.content.decode()
    link = re.search(r'<a class="button" href="([^"]+)"[^>]*data-instance-link', html)
    target = urlsplit(link.group(1).replace("&amp;", "&"))
    assert (target.scheme, target.netloc, target.path) == (
        "https",
        "fosstodon.org",
        "/share",
    )
    assert parse_qs(target.query)["text"] == [
        f"Spring tea http://sharing.test/en/{shared_page.slug}/"
        "?utm_source=mastodon&utm_medium=social&utm_campaign=share"
    ]
    assert "Continue on fosstodon.org" in html


@pytest.mark.parametrize(
    "query",
    [
        "?instance=localhost",
        "?instance=10.0.0.1",
        "?instance=evil.example%3A8080",
        "?instance=https%3A%2F%2Fme%40evil.example%2F",
        "?instance=javascript%3Aalert(1)",
        "?instance=%00",
        "?instance=a%00b.example",
        "?instance=%FF%FE",
        "?instance=" + "m" * 10_000,
        "?instance=%3Cscript%3E.example",
    ],
)
def test_a_bad_server_is_explained_never_followed(browser_client, shared_page, query):
    response = instance_page(browser_client, shared_page, query)
    assert response.status_code == 400
    assert "Location" not in response.headers
    html = response.content.decode()
    assert "data-instance-link" not in html
    assert "<script>" not in html
    if "%00" not in query:
        assert "This is not the address of a server" in html


def test_only_federated_platforms_have_a_server_page(browser_client, shared_page):
    response = browser_client.get(f"/en/share/instance/x/page/{shared_page.pk}/")
    assert response.status_code == 404
    response = browser_client.get("/en/share/instance/mastodon/page/999999/")
    assert response.status_code == 404


def test_checks_explain_bad_language_defaults():
    from sharing.checks import check_platforms

    with override_settings(SHARING_LANGUAGE_SHARE_PLATFORMS={"zh-hans": ["myspace"]}):
        errors = check_platforms(None)
        assert [error.id for error in errors] == ["sharing.W001"]
        assert "SHARING_LANGUAGE_SHARE_PLATFORMS['zh-hans']" in errors[0].msg
    with override_settings(SHARING_LANGUAGE_SHARE_PLATFORMS=["wechat"]):
        assert [error.id for error in check_platforms(None)] == ["sharing.E005"]
