"""Comments in the browser: a member posts, replies, likes, reports and edits
without reloads; an editor moderates the queue in the Wagtail admin."""

import re

from playwright.sync_api import expect

ARTICLE = "/en/news/spring-harvest-2026/"


VISITOR_EMAIL = "visitor@cloudmist.example"
VISITOR_PASSWORD = "cloudmist-visitor"


def sign_in(page):
    page.goto(f"/accounts/login/?next={ARTICLE}")
    page.locator("input[name=login]").fill(VISITOR_EMAIL)
    page.locator("input[name=password]").fill(VISITOR_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(re.escape(ARTICLE)))


def test_a_member_comments_replies_likes_and_edits(page, snap, viewport):
    page.goto(ARTICLE)
    comments = page.locator("#comments")
    expect(comments.get_by_role("link", name="Sign in to comment")).to_be_visible()
    expect(comments.locator(".comment--official").first).to_contain_text("Official")
    sign_in(page)
    # allauth's own sign-in page (not the comments') has no favicon link yet.
    page.js_errors.clear()
    comments.scroll_into_view_if_needed()

    # Post: the comment appears without a reload, the counter counts.
    marker = f"Steeped it three times this morning ({viewport})"
    textarea = page.get_by_label("Your comment")
    textarea.fill(f"**{marker}**, still sweet.")
    expect(comments.locator("[data-comments-counter-output]").first).to_contain_text(
        "/ 2000"
    )
    page.evaluate("window.__noReload = true")
    comments.get_by_role("button", name="Post comment").click()
    mine = comments.locator(".comment", has_text=marker).first
    expect(mine).to_be_visible()
    expect(mine.locator("strong")).to_have_text(marker)
    assert page.evaluate("window.__noReload") is True

    # Reply to the first thread, inline.
    thread = comments.locator(".comment", has_text="Just ordered the first-flush").first
    thread.locator("[data-comments-reply]").first.click()
    reply_box = thread.get_by_label("Your reply")
    expect(reply_box).to_be_focused()
    reply_box.fill(f"Try 85 °C for the third infusion ({viewport}).")
    thread.get_by_role("button", name="Post reply").click()
    expect(thread.locator(".comments__list--replies .comment").last).to_contain_text(
        f"third infusion ({viewport})"
    )

    # Like someone else's comment (a second click takes the like back).
    like = thread.locator(".comment__body", has_text="Perfect, thank you").locator(
        ".comment__like"
    )
    was_liked = like.get_attribute("aria-pressed") == "true"
    # The button reads "Like" (hidden text) and its count.
    before = int(re.search(r"\d+", like.inner_text()).group())
    like.click()
    expect(like).to_have_attribute("aria-pressed", "false" if was_liked else "true")
    expect(like).to_contain_text(str(before - 1 if was_liked else before + 1))
    assert page.evaluate("window.__noReload") is True
    snap(page, "comments-member")

    # The same discussion in Chinese: the interface and the brand reply.
    page.goto(ARTICLE.replace("/en/", "/zh-hans/"))
    zh = page.locator("#comments")
    expect(zh.get_by_role("heading", name=re.compile("评论"))).to_be_visible()
    expect(zh.locator(".comment--official").first).to_contain_text("官方")
    expect(zh.get_by_role("button", name="发表评论")).to_be_visible()
    snap(page, "comments-zh")
    page.goto(ARTICLE)
    mine = page.locator(".comment", has_text=marker).first

    if viewport == "desktop":
        # Edit within the window: the comment says "edited".
        mine.get_by_role("link", name="Edit").click()
        expect(page.locator("h1")).to_have_text("Edit your comment")
        snap(page, "comments-edit")
        page.get_by_label("Your comment").fill(f"{marker}: edited, still sweet.")
        page.get_by_role("button", name="Save").click()
        edited = page.locator(".comment", has_text="edited, still sweet").first
        expect(edited.locator(".comment__edited")).to_have_text("edited")
        expect(page.get_by_role("status").first).to_contain_text("saved")
    assert page.js_errors == []


def test_an_editor_moderates_a_reported_comment(
    page, snap, viewport, browser, live_site
):
    # A member reports a comment (through the dialog, without a reload).
    visitor = browser.new_context(base_url=live_site)
    member = visitor.new_page()
    product = "/en/teas/" if viewport == "desktop" else "/zh-hans/teas/"
    sign_in(member)
    member.goto(product)
    member.locator(".card__link").first.click()
    target = member.locator(".comment").first
    text = target.locator(".comment__text").inner_text().strip()
    target.locator("[data-comments-flag]").click()
    dialog = member.locator("dialog[open]")
    dialog.locator("input[value=spam]").check()
    dialog.locator("input[name=note]").fill(f"Looks like an ad ({viewport})")
    dialog.locator("button[type=submit]").click()
    expect(target.locator(".comment__action--done")).to_be_visible()
    visitor.close()

    # The editor finds it in Community → Comments and approves it.
    page.goto("/admin/login/?next=/admin/community/comments/")
    page.locator("input[name=username]").fill("editor")
    page.locator("input[name=password]").fill("cloudmist-editor")
    page.locator("button[type=submit]").first.click()
    expect(page.locator("main h1").first).to_contain_text("Comments")
    row = page.locator("tr", has_text=f"Looks like an ad ({viewport})")
    expect(row).to_be_visible()
    expect(row).to_contain_text(text[:20])
    snap(page, "comments-admin-queue")
    row.locator("input[type=checkbox]").check()
    footer = page.locator("[data-bulk-action-footer]")
    # The bulk bar has taken the selection (its links carry the ids) first.
    expect(footer).to_contain_text("1 comment selected")
    footer.get_by_text("Approve", exact=True).click()
    expect(page.get_by_text("Publish these comments")).to_be_visible()
    page.get_by_role("button", name="Yes").click()
    expect(page.get_by_text("1 comment approved.")).to_be_visible()
    expect(page.locator("tr", has_text=f"Looks like an ad ({viewport})")).to_have_count(
        0
    )
    snap(page, "comments-admin-approved")
