"""Share buttons, the WeChat QR dialog and the follow block in a real browser,
desktop and phone, with and without JavaScript."""

import re

from playwright.sync_api import expect

ARTICLE = "/en/news/meet-our-growers-in-anji/"


def test_share_buttons_and_wechat_dialog(page, snap, viewport, browser, live_site):
    page.set_default_timeout(10_000)
    # Headless Chromium's real clipboard may wait for a user gesture or focus:
    # record what the page copies instead.
    page.add_init_script(
        "Object.defineProperty(navigator, 'clipboard', {value: {writeText:"
        " text => { window.copiedText = text; return Promise.resolve(); }}});"
    )
    page.goto(ARTICLE)
    share = page.get_by_role("region", name="Share")
    expect(share).to_be_visible()
    buttons = share.locator("li:not(.sharing__item--native) a.sharing__button")
    expect(buttons).to_have_count(10)
    # The native share sheet only where the browser has the Web Share API.
    native = share.locator(".sharing__item--native")
    assert native.is_visible() == page.evaluate("typeof navigator.share === 'function'")
    weibo = share.get_by_role("link", name=re.compile("Share on Weibo"))
    expect(weibo).to_have_attribute("href", re.compile(r"^/en/share/weibo/page/\d+/$"))
    expect(weibo).to_have_attribute("target", "_blank")
    share.scroll_into_view_if_needed()
    snap(page, "sharing-buttons")

    # WeChat: keyboard opens an accessible dialog with the page's QR code.
    wechat = share.get_by_role("link", name=re.compile("Share on WeChat"))
    wechat.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Share on WeChat")
    expect(dialog).to_be_visible()
    if viewport == "phone":
        # A phone cannot scan its own screen: it is offered the link to copy
        # (tests/e2e/test_layout.py covers that dialog).
        qr = None
    else:
        qr = dialog.get_by_role("img", name=re.compile("QR code"))
        expect(qr).to_be_visible()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=qr.element_handle()
        )
    page.screenshot(path=_path(viewport, "sharing-wechat-dialog"))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(wechat).to_be_focused()

    # Copy link copies the tagged canonical URL and says so.
    share.get_by_role("link", name="Copy link").click()
    expect(share.get_by_role("status")).to_have_text("Link copied to the clipboard.")
    copied = page.evaluate("window.copiedText")
    assert copied == (
        f"{live_site}{ARTICLE}?utm_source=copy&utm_medium=social&utm_campaign=share"
    )
    assert page.js_errors == []

    # Without JavaScript the WeChat button opens a page with the QR code.
    context = browser.new_context(
        java_script_enabled=False,
        base_url=live_site,
        viewport=page.viewport_size,
    )
    nojs = context.new_page()
    nojs.goto(ARTICLE)
    nojs.get_by_role("link", name=re.compile("Share on WeChat")).click()
    expect(nojs).to_have_url(re.compile(r"/en/share/qr/wechat/page/\d+/$"))
    expect(nojs.locator("h1")).to_have_text("Share on WeChat")
    expect(nojs.locator(".sharing-qr-page__code svg")).to_be_visible()
    # (snap() scrolls with JavaScript, which is off here.)
    nojs.screenshot(path=_path(viewport, "sharing-qr-page-nojs"), full_page=True)
    context.close()


def test_mastodon_remembers_the_server_and_e_mail_stays_in_the_tab(
    page, snap, viewport
):
    # Mastodon servers are fakes on this machine: no test reaches the internet.
    page.context.route(
        re.compile(r"^https://[^/]+/share\?"),
        lambda route: route.fulfill(
            status=200, content_type="text/plain", body="a Mastodon server"
        ),
    )
    page.goto(ARTICLE)
    share = page.get_by_role("region", name="Share")
    email = share.get_by_role("link", name=re.compile("E-mail"))
    expect(email).not_to_have_attribute("target", "_blank")
    mastodon = share.get_by_role("link", name=re.compile("Share on Mastodon"))
    expect(mastodon).to_have_attribute("target", "_blank")

    with page.context.expect_page() as opened:
        mastodon.click()
    tab = opened.value
    expect(tab).to_have_url(re.compile(r"/en/share/instance/mastodon/page/\d+/$"))
    server = tab.get_by_label("Your Mastodon server")
    expect(server).to_have_value("")
    snap(tab, "sharing-mastodon-server")
    server.fill("@tea@Fosstodon.org")
    tab.get_by_role("button", name="Continue").click()
    expect(tab).to_have_url(re.compile(r"^https://fosstodon\.org/share\?text="))
    assert "utm_source%3Dmastodon" in tab.url
    tab.close()

    # The next share fills in the server this browser remembers.
    with page.context.expect_page() as opened:
        mastodon.click()
    tab = opened.value
    expect(tab.get_by_label("Your Mastodon server")).to_have_value("fosstodon.org")
    expect(tab.get_by_role("button", name="Continue")).to_be_focused()
    assert page.js_errors == []


def _path(viewport, name):
    from tests.e2e.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}-{viewport}.png"


def test_follow_block_and_footer(page, snap, viewport):
    page.set_default_timeout(10_000)
    page.goto("/zh-hans/about/")
    block = page.get_by_role("region", name="关注云雾茶")
    expect(block).to_be_visible()
    links = block.locator("a.sharing-follow__link")
    expect(links).to_have_count(10)
    # Platform names are in the page's language.
    expect(block.get_by_role("link", name=re.compile("微博"))).to_have_attribute(
        "href", "https://weibo.com/cloudmisttea"
    )
    footer = page.get_by_role("contentinfo")
    expect(footer.locator("a.sharing-follow__link")).to_have_count(10)
    block.scroll_into_view_if_needed()
    snap(page, "sharing-follow-block")

    # The WeChat official account shows its QR code in a dialog.
    block.get_by_role("link", name=re.compile("微信")).click()
    dialog = page.get_by_role("dialog", name="在微信关注云雾茶 Cloudmist")
    expect(dialog).to_be_visible()
    qr = dialog.get_by_role("img")
    expect(qr).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=qr.element_handle()
    )
    page.screenshot(path=_path(viewport, "sharing-follow-dialog"))
    dialog.get_by_role("button").click()
    expect(dialog).to_be_hidden()
    assert page.js_errors == []
