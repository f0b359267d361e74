"""The campaign journey on a phone: a friend opens a contest from a member's
shared link, signs up (the sign-up is attributed to the member), enters a
photo, votes the next day and sees the ranking by votes; the page in Chinese
too. Screenshots in artifacts/screenshots/campaign-*."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS
from tests.e2e.test_accounts_journey import confirmation_link
from tests.live import live_shell

PHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
CONTEST = "/en/campaigns/spring-photo-contest/"
CONTEST_ZH = "/zh-hans/campaigns/spring-photo-contest/"


def manage_shell(code):
    """The last line the code prints in the live site's shell."""
    lines = live_shell(code).strip().splitlines()
    return lines[-1] if lines else ""


def picture():
    out = io.BytesIO()
    image = Image.new("RGB", (900, 700), (70, 120, 90))
    for x in range(200, 700):
        for y in range(200, 500, 4):
            image.putpixel((x, y), (240, 230, 200))
    image.save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def phone_page(browser, live_site):
    """A phone whose browser says it is one: the site does not count visits
    of a headless browser (COMMUNITY_BOT_PATTERN), referrals included."""
    context = browser.new_context(
        viewport=VIEWPORTS["phone"],
        base_url=live_site,
        locale="en-US",
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_UA,
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


def test_contest_journey_from_a_shared_link(phone_page, snap, viewport, live_site):
    if viewport != "phone":
        pytest.skip("The issue's journey is on a phone.")
    page = phone_page
    code = manage_shell(
        "from django.contrib.auth import get_user_model;"
        "from community.campaigns.referrals import code_for;"
        "print(code_for(get_user_model().objects.get(username='sam')))"
    )
    assert re.fullmatch(r"[a-z0-9]{8}", code)

    # A friend opens the shared link.
    page.goto(f"{CONTEST}?ref={code}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("photo contest")
    expect(page.locator(".campaign-badge")).to_have_text("Open for entries")
    expect(page.locator(".campaign-countdown__left")).to_contain_text("in ")
    snap(page, "campaign-shared-link")

    # Signs up and confirms the address.
    email = "campaign-friend@example.com"
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_role("link", name="sign up").click()
    page.get_by_role("textbox", name="Email").fill(email)
    page.locator("#id_password1").fill("a-long-tea-password-77")
    page.get_by_label("Password (again)").fill("a-long-tea-password-77")
    page.get_by_role("button", name="Sign Up").click()
    expect(
        page.get_by_role("heading", name="Verify Your Email Address")
    ).to_be_visible()
    page.goto(confirmation_link(email))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".member-menu")).to_be_visible()

    # Enters a photo.
    page.goto(CONTEST)
    page.get_by_role("link", name="Enter the contest").click()
    page.locator("input[name=title]").fill("Tea on the balcony")
    page.locator("textarea[name=body]").fill("Spring rain and a glass of Longjing.")
    page.locator("input[name=images]").set_input_files(
        [{"name": "balcony.jpg", "mimeType": "image/jpeg", "buffer": picture()}]
    )
    snap(page, "campaign-entry-form")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Tea on the balcony")).to_be_visible()
    expect(page.locator(".entry-vote")).to_contain_text("0 votes")
    snap(page, "campaign-entry")

    # A new account waits a day before it votes.
    page.goto(CONTEST)
    expect(page.locator(".campaign__denied").first).to_contain_text(
        "hours after signing up"
    )
    manage_shell(
        "from datetime import timedelta;"
        "from django.contrib.auth import get_user_model;"
        f"get_user_model().objects.filter(email='{email}').update("
        "date_joined=__import__('django.utils.timezone').utils.timezone.now()"
        " - timedelta(days=2))"
    )
    page.goto(CONTEST)
    card = page.locator(".entry-card", has_text="First cup by the window")
    card.get_by_role("button", name=re.compile("^Vote")).click()
    expect(page.get_by_text("Thank you for your vote!")).to_be_visible()
    expect(card).to_contain_text("You voted")
    snap(page, "campaign-voted")

    # The ranking: most voted first.
    page.get_by_role("link", name="Most voted").click()
    first = page.locator(".campaign__gallery .entry-card").first
    expect(first).to_contain_text("First cup by the window")
    expect(first).to_contain_text("3 votes")
    snap(page, "campaign-ranking")

    # The member's personal link, and the friend's sign-up attributed to sam.
    expect(page.locator("input[id^=referral-link]")).to_have_value(
        re.compile(r"\?ref=[a-z0-9]{8}$")
    )
    referrer = manage_shell(
        "from community.campaigns.models import ReferralSignup;"
        f"print(ReferralSignup.objects.get(user__email='{email}').code.user.username)"
    )
    assert referrer == "sam"

    # In Chinese.
    page.goto(CONTEST_ZH)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("春日茶时光摄影大赛")
    snap(page, "campaign-zh")
    page.goto("/zh-hans/campaigns/autumn-harvest-contest/")
    expect(page.get_by_role("heading", level=1)).to_have_text("秋收故事征集")
    expect(page.locator(".campaign__winners")).to_contain_text("外婆的桂花乌龙")
    snap(page, "campaign-winners-zh")
    page.goto("/en/campaigns/autumn-harvest-contest/")
    snap(page, "campaign-winners")
    page.goto("/en/campaigns/tea-habits-survey/")
    expect(page.get_by_role("button", name="Next")).to_be_visible()
    snap(page, "campaign-survey")
    assert page.js_errors == []
    # The demo as it was for the other browser tests of this server.
    manage_shell(
        "from community.posts.models import Post;"
        "Post.objects.filter(title='Tea on the balcony').delete()"
    )
