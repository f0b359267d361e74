"""Share buttons, link-preview meta tags and follow links as rendered in pages,
with their query budget."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from sharing.models import OwnMediaAccount, SharingSettings

WECHAT_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) "
    "NetType/WIFI Language/zh_CN"
)


def meta(html, key):
    match = re.search(
        rf'<meta (?:property|name|itemprop)="{re.escape(key)}" content="([^"]*)"', html
    )
    return match.group(1) if match else None


def get(client, page, **extra):
    response = client.get(f"/en/{page.slug}/", **extra)
    assert response.status_code == 200
    return response.content.decode()


def set_platforms(site, *ids, **fields):
    settings = SharingSettings.for_site(site)
    settings.share_platforms = [("platform", platform_id) for platform_id in ids]
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def test_link_preview_tags(browser_client, shared_page, settings):
    del settings.SHARING_ITEMPROP_META  # the default, off (the demo turns it on)
    html = get(browser_client, shared_page)
    url = f"http://sharing.test/en/{shared_page.slug}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:url") == url
    assert meta(html, "og:title") == meta(html, "twitter:title") == "Spring tea"
    assert meta(html, "og:description") == "The first flush."
    assert meta(html, "og:type") == "website"
    assert meta(html, "og:site_name") == "Tea"
    assert meta(html, "og:locale") == "en_US"
    assert meta(html, "og:image:width") == "1200"
    assert meta(html, "og:image:height") == "630"
    image = meta(html, "og:image")
    assert image.startswith("http://sharing.test/") and "fill-1200x630" in image
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:image") == image
    # itemprop tags are valid HTML only inside an item: off by default.
    assert "itemprop=" not in html


def test_itemprop_tags_when_the_html_element_is_an_item(
    browser_client, shared_page, settings
):
    settings.SHARING_ITEMPROP_META = True
    html = get(browser_client, shared_page)
    assert meta(html, "name") == "Spring tea"
    assert meta(html, "description") == "The first flush."
    assert meta(html, "image") == meta(html, "og:image")


def test_chinese_pages_say_zh_cn(browser_client, shared_page):
    html = browser_client.get(f"/zh-hans/{shared_page.slug}/").content.decode()
    assert meta(html, "og:locale") == "zh_CN"


def test_overrides_and_fallbacks(browser_client, page_factory, image_factory):
    override = image_factory("Override")
    page = page_factory(
        title="Title",
        seo_title="SEO title",
        search_description="Search description",
        intro="Intro",
        share_title="Share title",
        share_description="Share summary",
        share_image=override,
        image=image_factory("Main"),
    )
    html = get(browser_client, page)
    assert meta(html, "og:title") == "Share title"
    assert meta(html, "og:description") == "Share summary"
    assert "override" in meta(html, "og:image")

    page.share_title = page.share_description = ""
    page.share_image = None
    page.save_revision().publish()
    html = get(browser_client, page)
    assert meta(html, "og:title") == "SEO title"
    assert meta(html, "og:description") == "Search description"
    assert "main" in meta(html, "og:image")

    page.seo_title = page.search_description = ""
    page.image = None
    page.save_revision().publish()
    html = get(browser_client, page)
    assert meta(html, "og:title") == "Title"
    assert meta(html, "og:description") == "Intro"
    assert meta(html, "og:image") is None
    assert meta(html, "twitter:card") == "summary"

    default = image_factory("Site default")
    set_platforms(page.get_site(), default_share_image=default)
    html = get(browser_client, page)
    assert "site-default" in meta(html, "og:image")


def test_buttons_follow_the_sites_choice_and_order(browser_client, shared_page):
    set_platforms(shared_page.get_site(), "x", "wechat", "email", "x", "douyin")
    html = get(browser_client, shared_page)
    platforms = re.findall(r'data-platform="([^"]+)"', html)
    # In the editors' order, without duplicates or follow-only platforms.
    assert platforms == ["x", "wechat", "email"]
    assert f'href="/en/share/x/page/{shared_page.pk}/"' in html
    assert 'target="_blank"' in html
    # WeChat opens a dialog with the QR code (lazy image) and works without JS.
    assert f'aria-controls="sharing-dialog-wechat-page-{shared_page.pk}"' in html
    assert f'src="/en/share/qr/wechat/page/{shared_page.pk}.svg"' in html
    # No inline script or style for the CSP; the app's own static files only.
    assert "<script>" not in html and "style=" not in html
    assert "/static/sharing/sharing.js" in html
    assert "/static/sharing/sharing.css" in html


def test_default_buttons_when_editors_chose_none(browser_client, shared_page):
    html = get(browser_client, shared_page)
    assert re.findall(r'data-platform="([^"]+)"', html) == [
        "x",
        "facebook",
        "linkedin",
        "whatsapp",
        "mastodon",
        "email",
        "copy",
        "native",
    ]
    html = browser_client.get(f"/zh-hans/{shared_page.slug}/").content.decode()
    assert re.findall(r'data-platform="([^"]+)"', html)[:4] == [
        "wechat",
        "weibo",
        "qq",
        "douban",
    ]


def test_no_buttons_when_turned_off_or_private(browser_client, page_factory):
    off = page_factory(title="Quiet", show_share_buttons=False)
    html = get(browser_client, off)
    assert "data-sharing" not in html
    assert meta(html, "og:title") == "Quiet"  # previews still work

    private = page_factory(title="Private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    from tests.factories import MemberFactory

    browser_client.force_login(MemberFactory())
    html = get(browser_client, private)
    assert "data-sharing" not in html


def test_share_count_is_optional(browser_client, shared_page):
    browser_client.get(f"/en/share/x/page/{shared_page.pk}/")
    browser_client.get(f"/en/share/qq/page/{shared_page.pk}/")
    assert "Shared 2 times" not in get(browser_client, shared_page)
    set_platforms(shared_page.get_site(), "x", show_share_count=True)
    assert "Shared 2 times" in get(browser_client, shared_page)


def test_buttons_and_meta_add_at_most_three_queries(browser_client, shared_page):
    """Measured against the same page rendered without the sharing tags, with
    3 and with 14 buttons: the cost does not grow with the buttons."""
    site = shared_page.get_site()
    path = f"/en/{shared_page.slug}/"
    get(browser_client, shared_page)  # renditions and site caches are warm

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert browser_client.get(url).status_code == 200
        return len(captured)

    bare = queries(path + "?bare=1")
    set_platforms(site, "x", "weibo", "email")
    with_three = queries(path)
    set_platforms(
        site,
        *"wechat weibo qq qzone douban x facebook linkedin reddit telegram "
        "whatsapp pinterest bluesky email".split(),
    )
    with_fourteen = queries(path)
    # The first page after a change reads the settings, their per-language
    # buttons and the accounts (sharing.sitedata keeps them for the pages
    # after it).
    assert with_three - bare <= 3
    assert with_fourteen == with_three


def test_django_assert_max_num_queries(
    browser_client, shared_page, django_assert_max_num_queries
):
    path = f"/en/{shared_page.slug}/"
    browser_client.get(path)
    with CaptureQueriesContext(connection) as captured:
        browser_client.get(path + "?bare=1")
    with django_assert_max_num_queries(len(captured) + 2):
        browser_client.get(path)


def test_inside_wechat_the_button_explains_the_menu(browser_client, shared_page):
    html = get(browser_client, shared_page, HTTP_USER_AGENT=WECHAT_UA)
    assert "tap ··· at the top right" in html
    # Not configured: no JS-SDK, no CSP exception.
    assert "data-wechat-config" not in html
    response = browser_client.get(f"/en/{shared_page.slug}/", HTTP_USER_AGENT=WECHAT_UA)
    assert "res.wx.qq.com" not in response.get("Content-Security-Policy", "")


def test_wechat_sdk_is_allowed_only_inside_wechat_when_configured(
    browser_client, shared_page
):
    set_platforms(
        shared_page.get_site(), "wechat", wechat_app_id="wx1", wechat_app_secret="s"
    )
    response = browser_client.get(f"/en/{shared_page.slug}/", HTTP_USER_AGENT=WECHAT_UA)
    html = response.content.decode()
    assert 'data-wechat-config="/en/share/wechat/config/"' in html
    assert 'data-wechat-sdk="https://res.wx.qq.com/open/js/jweixin-1.6.0.js"' in html
    assert re.search(r'data-image="http://sharing.test/[^"]+fill-1200x630', html)
    assert "https://res.wx.qq.com" in response["Content-Security-Policy"]
    # Outside WeChat: nothing of it.
    response = browser_client.get(f"/en/{shared_page.slug}/")
    assert "data-wechat-config" not in response.content.decode()
    assert "res.wx.qq.com" not in response["Content-Security-Policy"]


def add_accounts(site, image_factory):
    settings = SharingSettings.for_site(site)
    qr = image_factory("WeChat QR", size=(600, 600), colour=(0, 0, 0))
    rows = [
        ("weibo", "cloudmist", "", None, True, True, False),
        ("wechat", "", "Cloudmist 云雾", qr, False, True, True),
        ("youtube", "cloudmist", "", None, False, False, True),
        ("unknown-platform", "x", "", None, True, True, True),
    ]
    for order, (platform, handle, label, image, header, footer, block) in enumerate(
        rows
    ):
        OwnMediaAccount.objects.create(
            settings=settings,
            sort_order=order,
            platform=platform,
            handle=handle,
            label=label,
            qr_image=image,
            show_in_header=header,
            show_in_footer=footer,
            show_in_follow_block=block,
        )


def test_follow_us_tag_and_block(browser_client, page_factory, image_factory, rf):
    page = page_factory(
        title="Follow page",
        body=[
            ("follow_us", {"heading": "Follow the gardens", "text": "Tea news."}),
            ("share_buttons", {"heading": "Tell a friend"}),
        ],
    )
    add_accounts(page.get_site(), image_factory)
    html = get(browser_client, page)
    block = html[html.index('class="sharing-follow sharing-follow--follow"') :]
    assert "Follow the gardens" in block and "Tea news." in block
    links = re.findall(r'class="sharing-follow__link" href="([^"]+)"', block)
    assert links[0].startswith("/media/images/") or "/images/" in links[0]
    assert links[1] == "https://www.youtube.com/@cloudmist"
    assert "unknown-platform" not in html
    assert "Follow Cloudmist 云雾 on WeChat" in block
    # The share buttons block renders the buttons of the page it is on.
    assert "Tell a friend" in html
    assert f"/en/share/x/page/{page.pk}/" in html
    # CSS and JS are included once for the whole page.
    assert html.count("/static/sharing/sharing.css") == 1

    from django.template import Context, Template

    request = rf.get("/", HTTP_HOST="sharing.test")
    header = Template('{% load sharing_tags %}{% follow_us "header" %}').render(
        Context({"request": request})
    )
    assert "https://weibo.com/cloudmist" in header
    assert "youtube" not in header and "WeChat" not in header


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/"])
def test_account_urls_must_be_web_addresses(share_site, url):
    from django.core.exceptions import ValidationError

    account = OwnMediaAccount(
        settings=SharingSettings.for_site(share_site), platform="weibo", url=url
    )
    with pytest.raises(ValidationError):
        account.full_clean()
    empty = OwnMediaAccount(
        settings=SharingSettings.for_site(share_site), platform="weibo"
    )
    with pytest.raises(ValidationError, match="handle, a URL or a QR code"):
        empty.full_clean()
