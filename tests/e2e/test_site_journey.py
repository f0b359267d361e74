"""A visitor's first visit: home, language switch, an article, search, contact."""

import re

from playwright.sync_api import expect


def test_visitor_journey(page, snap, viewport):
    page.goto("/en/")
    expect(page.locator("h1")).to_contain_text("Tea from the clouds")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    snap(page, "home-en")

    # Keyboard users get a skip link first.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()

    # Switch to Chinese: the same page in the other language.
    page.get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(re.compile(r"/zh-hans/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_contain_text("云雾之上")
    snap(page, "home-zh")

    # Open an article from the news section.
    page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="新闻"
    ).click()
    expect(page.locator("h1")).to_have_text("新闻")
    page.get_by_role("link", name=re.compile("走近安吉的茶农")).click()
    expect(page.locator("h1")).to_have_text("走近安吉的茶农")
    expect(page.locator("article img").first).to_be_visible()
    snap(page, "article-zh")

    # And back to English on the same article.
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Meet our growers in Anji")

    # Search (the header field is icon-only on phones; the search page has one).
    page.goto("/zh-hans/search/?q=龙井")
    expect(page.get_by_role("status")).to_contain_text("3")
    expect(page.get_by_role("link", name="西湖龙井").first).to_be_visible()
    page.locator("#search-q").fill("Longjing")
    page.locator("#search-q").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Longjing")
    snap(page, "search-zh")

    # Contact form: an error first, then a successful submission.
    page.goto("/en/contact/")
    page.get_by_label("Your name").fill("Wang Fang")
    page.get_by_role("textbox", name="E-mail address").fill("not-an-address")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".field__error").first).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Wang Fang")
    snap(page, "contact-errors")
    page.get_by_role("textbox", name="E-mail address").fill("wang@example.com")
    page.get_by_label("Topic").select_option("Wholesale")
    page.get_by_label("Message").fill("Do you ship 1 kg bags to Shanghai?")
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_role("button", name="Send").click()
    expect(page.locator("h1")).to_have_text("Thank you")
    snap(page, "contact-thanks")

    assert page.js_errors == []


def test_not_found_page(page, snap):
    response = page.goto("/en/there-is-no-such-page/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("We could not find that page")
    snap(page, "404")
