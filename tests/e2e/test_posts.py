"""Community posts in the browser: a member creates a photo post with pictures
on a phone, an editor approves it in the Wagtail admin, and it is published."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.live import make_member

BOARD = "/en/photo-wall/"


def picture(colour, size=(900, 700)):
    out = io.BytesIO()
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_post_from_a_phone_moderated_and_published(
    page, snap, viewport, browser, live_site
):
    if viewport != "phone":
        pytest.skip("The issue's journey is on a phone; the admin part is desktop.")
    title = "Steam over the gaiwan"
    # A new member: the demo's visitor has posts of their own by now, and a
    # member with a history may publish without moderation.
    member = make_member(live_site)
    page.goto(f"/accounts/login/?next={BOARD}")
    page.locator("input[name=login]").fill(member["email"])
    page.locator("input[name=password]").fill(member["password"])
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(re.escape(BOARD)))
    snap(page, "posts-board")
    page.get_by_role("link", name=re.compile("New: Photos")).click()
    page.locator("input[name=title]").fill(title)
    page.locator("textarea[name=body]").fill("Morning light, **second** infusion.")
    page.locator("input[name=tags]").fill("gaiwan, morning")
    page.locator("input[name=images]").set_input_files(
        [
            {
                "name": "one.jpg",
                "mimeType": "image/jpeg",
                "buffer": picture((60, 120, 80)),
            },
            {
                "name": "two.jpg",
                "mimeType": "image/jpeg",
                "buffer": picture((190, 150, 90)),
            },
            {
                "name": "three.jpg",
                "mimeType": "image/jpeg",
                "buffer": picture((90, 110, 160)),
            },
        ]
    )
    snap(page, "posts-form")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".post-status")).to_contain_text("Awaiting moderation")
    expect(page.locator(".post-photos img")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "posts-pending")
    post_url = page.url

    # The editor approves it in Community → Posts (desktop admin).
    admin_context = browser.new_context(
        base_url=live_site, viewport={"width": 1280, "height": 900}
    )
    admin = admin_context.new_page()
    admin.goto("/admin/login/?next=/admin/community/posts/")
    admin.locator("input[name=username]").fill("editor")
    admin.locator("input[name=password]").fill("cloudmist-editor")
    admin.locator("button[type=submit]").first.click()
    row = admin.locator("tr", has_text=title)
    expect(row).to_be_visible()
    expect(row.locator("img")).to_have_count(3)
    snap(admin, "posts-admin-queue")
    row.locator("input[type=checkbox]").check()
    footer = admin.locator("[data-bulk-action-footer]")
    # The bulk bar has taken the selection (its links carry the ids) first.
    expect(footer).to_contain_text("1 post selected")
    footer.get_by_text("Approve", exact=True).click()
    admin.get_by_role("button", name="Yes").click()
    expect(admin.get_by_text("1 post approved.")).to_be_visible()
    snap(admin, "posts-admin-approved")
    admin_context.close()

    # Published: on the board for everybody, with its pictures.
    page.goto(post_url)
    expect(page.locator(".post-status")).to_have_count(0)
    expect(page.locator("h1")).to_have_text(title)
    snap(page, "posts-published")
    page.goto(BOARD)
    expect(page.locator(".post-card", has_text=title)).to_be_visible()
    assert page.js_errors == []
