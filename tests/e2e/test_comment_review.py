"""An editor reviews a held reply in the Wagtail admin (issue 19, item 12):
the queue's row shows the page, the comment it answers and the author's
record, the bulk bar counts comments, and the row opens the review page
(thread, flags, the author's history) where the editor rejects it with a
reason; in English and in Chinese, at 1280 and 390 px."""

from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS
from tests.live import live_shell

PREPARE = """
from django.contrib.auth import get_user_model
from community.comments.models import Comment, CommentFlagReport
from community.models import Profile
User = get_user_model()
root = (Comment.objects.filter(state="published", level=0, user__isnull=False)
        .order_by("pk").first())
author, _ = User.objects.get_or_create(
    username="leafy-{viewport}", defaults={{"email": "leafy-{viewport}@example.com"}})
Profile.for_user(author)
for n in range(2):
    Comment.objects.create(
        content_type=root.content_type, object_pk=root.object_pk,
        site_id=root.site_id, user=author, user_name=author.username,
        user_email=author.email, comment=f"Earlier remark {{n}} ({viewport})",
        language="en")
held = Comment.objects.create(
    content_type=root.content_type, object_pk=root.object_pk,
    site_id=root.site_id, user=author, user_name=author.username,
    user_email=author.email, parent_id=root.pk, state="pending",
    hold_reasons="too many links", language="en",
    comment="Cheapest tea in town: https://shop.example ({viewport})")
reporter = User.objects.exclude(pk=author.pk).filter(username="visitor").first()
CommentFlagReport.objects.get_or_create(
    comment=held, user=reporter, defaults={{"reason": "spam", "note": "An ad"}})
"""

LANGUAGE = """
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile
profile = UserProfile.get_for_user(get_user_model().objects.get(username="editor"))
profile.preferred_language = "{language}"
profile.save()
"""


def snap_sections(page, name, viewport):
    """The review page scrolls inside Wagtail's main area: one more picture
    of each section below the first screen."""
    for section in ("thread", "flags", "decision", "author", "suspend"):
        heading = page.locator(f"#review-{section}-heading")
        heading.evaluate("element => element.scrollIntoView({block: 'start'})")
        page.screenshot(path=SCREENSHOTS / f"{name}-{section}-{viewport}.png")


def test_an_editor_reviews_and_rejects_a_held_reply(page, snap, viewport):
    live_shell(PREPARE.format(viewport=viewport))
    page.goto("/admin/login/?next=/admin/community/comments/")
    page.locator("input[name=username]").fill("editor")
    page.locator("input[name=password]").fill("cloudmist-editor")
    page.locator("button[type=submit]").first.click()
    row = page.locator(
        "tr", has_text=f"Cheapest tea in town: https://shop.example ({viewport})"
    )
    expect(row).to_be_visible()
    expect(row).to_contain_text("In reply to")
    expect(row).to_contain_text("3 comments · 1 flag")
    row.locator("input[type=checkbox]").check()
    footer = page.locator("[data-bulk-action-footer]")
    expect(footer).to_contain_text("1 comment selected")
    snap(page, "comment-review-queue")

    # The row opens the review page, by keyboard too.
    link = row.locator("a", has_text="Cheapest tea").first
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="The thread")).to_be_visible()
    expect(page.get_by_text("Earlier remark 0")).to_be_visible()
    expect(page.get_by_text("An ad", exact=True)).to_be_visible()
    snap(page, "comment-review-en")
    snap_sections(page, "comment-review-en", viewport)
    assert page.js_errors == []

    try:
        live_shell(LANGUAGE.format(language="zh-hans"))
        page.reload()
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        snap(page, "comment-review-zh")
        snap_sections(page, "comment-review-zh", viewport)
    finally:
        live_shell(LANGUAGE.format(language=""))
        page.reload()

    page.get_by_label("Reason", exact=True).first.select_option("spam")
    page.get_by_label("Note to the author").fill("Links to a shop.")
    page.get_by_role("button", name="Reject", exact=True).click()
    expect(page.get_by_text("1 comment rejected.")).to_be_visible()
    expect(
        page.locator("tr", has_text=f"https://shop.example ({viewport})")
    ).to_have_count(0)
