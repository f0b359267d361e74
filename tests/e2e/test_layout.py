"""The layout on a phone (390 px) and on a desktop, in the browser: no page
type scrolls sideways on a phone, in either language, for a visitor or a
signed-in member; the menu shows all its items; the community's boards are
one tap from the menu; and on a phone WeChat's share offers the link to copy
instead of a QR code the same phone cannot scan."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.site_pages import LANGUAGES, VISITOR_LOGIN, Client, page_paths

PHONE = {"width": 390, "height": 844}

# The document is no wider than the screen, and the screen was not widened
# to fit it (a phone's browser zooms out to the content's width).
NO_SIDEWAYS_SCROLL = (
    "[document.documentElement.scrollWidth, innerWidth, "
    "[...document.querySelectorAll('body *')].filter(e => "
    "e.getBoundingClientRect().right > innerWidth + 0.5 && "
    "getComputedStyle(e).position !== 'fixed').slice(0, 5).map(e => "
    "e.tagName.toLowerCase() + '.' + e.className)]"
)


def phone(browser, base_url, language="en"):
    return browser.new_context(
        viewport=PHONE,
        base_url=base_url,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN" if language == "zh-hans" else "en-US",
    )


def sign_in(page):
    login, password = VISITOR_LOGIN
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


@pytest.mark.parametrize("member", [False, True], ids=["visitor", "member"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_scrolls_sideways_on_a_phone(browser, live_site, language, member):
    client = Client(live_site, language)
    if member:
        client.sign_in()
    paths = page_paths(client, member)
    assert len(paths) >= 20
    context = phone(browser, live_site, language)
    page = context.new_page()
    if member:
        sign_in(page)
    wide = {}
    for name, path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        scroll_width, inner_width, culprits = page.evaluate(NO_SIDEWAYS_SCROLL)
        if scroll_width > inner_width or inner_width > PHONE["width"]:
            wide[name] = (path, scroll_width, inner_width, culprits)
    context.close()
    assert wide == {}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", [390, 1280])
def test_every_menu_item_shows(browser, live_site, language, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, base_url=live_site
    )
    page = context.new_page()
    page.goto(f"/{language}/stories/")
    items = page.locator(".site-nav a")
    assert items.count() >= 5
    for index in range(items.count()):
        box = items.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, items.nth(
            index
        ).inner_text()
    # One tap to the community page, whose cards lead to every board.
    page.locator(".site-nav a[href$='/community/posts/']").click()
    # Four community boards and the tastings' photo board (events).
    expect(page.locator(".board-cards__list a")).to_have_count(5)
    page.locator(".board-cards__list a").nth(2).click()
    expect(page.locator(".board-nav a[aria-current='page']")).to_have_count(1)
    if width == 390:
        # The Chinese search button keeps its word on one line.
        page.goto(f"/{language}/search/?q=tea")
        button = page.locator(".inline-search .button").bounding_box()
        assert button["height"] < 60
    context.close()


def test_wechat_on_a_phone_offers_the_link_to_copy(browser, live_site):
    # WeChat leads the Chinese pages' share buttons.
    language = "zh-hans"
    context = phone(browser, live_site, language)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site)
    page = context.new_page()
    page.goto(f"/{language}/photo-wall/")
    page.locator(".post-card a").first.click()
    page.locator("a[data-platform='wechat']").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.locator("[data-sharing-phone]")).to_be_visible()
    expect(dialog.locator(".sharing-dialog__qr")).to_be_hidden()
    dialog.locator("[data-sharing-copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "utm_source=wechat" in copied and page.url.split("?")[0] in copied
    expect(dialog.locator(".sharing-phone__status")).not_to_be_empty()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"wechat-phone-{language}.png")
    # The code is still there, for another phone.
    dialog.locator("[data-sharing-show-scan]").click()
    expect(dialog.locator(".sharing-dialog__qr")).to_be_visible()
    context.close()


def test_wechat_on_a_desktop_shows_the_code(browser, live_site):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_site
    )
    page = context.new_page()
    page.goto("/zh-hans/photo-wall/")
    page.locator(".post-card a").first.click()
    page.locator("a[data-platform='wechat']").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.locator(".sharing-dialog__qr")).to_be_visible()
    expect(dialog.locator("[data-sharing-phone]")).to_be_hidden()
    context.close()


def test_text_cards_do_not_stretch_next_to_photo_cards(browser, live_site):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_site
    )
    page = context.new_page()
    page.goto("/en/community/posts/")
    page.wait_for_load_state("load")
    cards = page.evaluate(
        "[...document.querySelectorAll('.post-grid .post-card')].map(card => {"
        " const box = card.getBoundingClientRect();"
        " return [Math.round(box.top), card.querySelector('img') !== null,"
        " box.height]; })"
    )
    rows = {}
    for top, has_photo, height in cards:
        rows.setdefault(top, []).append((has_photo, height))
    mixed = [
        row
        for row in rows.values()
        if any(has_photo for has_photo, _ in row)
        and not all(has_photo for has_photo, _ in row)
    ]
    assert mixed, "no row with both a photo card and a text card"
    for row in mixed:
        # A text card keeps its own height, shorter than the photo beside it.
        tallest_photo = max(height for has_photo, height in row if has_photo)
        assert all(height < tallest_photo for has_photo, height in row if not has_photo)
    context.close()
