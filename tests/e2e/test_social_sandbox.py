"""Social sign-in in the demo, offline: the sign-in page shows WeChat, QQ,
Weibo and OpenID Connect; WeChat's button leads to the sandbox's imitation
of WeChat, whose consent page signs the visitor in (README, "Social sign-in in
the demo"). The live site runs dev settings, where the sandbox is on."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS
from tests.e2e.test_accounts_journey import confirmation_link
from tests.live import live_shell

PROVIDERS = ["WeChat", "QQ", "Weibo", "OpenID Connect"]

# Social applications in the database replace the sandbox for their provider
# (configuration wins); other tests add fake ones for WeChat, QQ and Weibo.
UNCONFIGURE = """
from allauth.socialaccount.models import SocialApp
SocialApp.objects.filter(provider__in=["weixin", "qq", "weibo"]).delete()
"""


@pytest.fixture
def sandbox_site(live_site):
    live_shell(UNCONFIGURE)
    return live_site


def wechat_consent(page):
    """From the sign-in page to the imitation WeChat's consent page."""
    page.get_by_role("link", name="Continue with WeChat").click()
    # allauth asks before leaving the site (sign-in starts with a POST).
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/sandbox-oauth/weixin/connect/qrconnect\?"))


def test_sign_in_with_wechat_in_the_sandbox(page, snap, viewport, sandbox_site):
    nickname = f"茶友 {viewport}"
    page.goto("/accounts/login/?next=/en/")
    for name in PROVIDERS:
        button = page.get_by_role("link", name=f"Continue with {name}")
        expect(button).to_be_visible()
        expect(button.locator("svg")).to_have_count(1)
    snap(page, "sandbox-sign-in-en")

    wechat_consent(page)
    expect(
        page.get_by_role("heading", name="Cloudmist Tea would like to sign you in")
    ).to_be_visible()
    expect(page.get_by_text("Sandbox", exact=True)).to_be_visible()
    snap(page, "sandbox-consent-en")
    page.get_by_label("Another nickname").fill(nickname)
    page.get_by_role("button", name="Allow").click()

    # WeChat gives no e-mail address: the site asks for one, then confirms it.
    email = f"wechat-{viewport}@example.com"
    expect(page.get_by_role("heading", name="Sign Up")).to_be_visible()
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("button", name="Sign Up").click()
    expect(
        page.get_by_role("heading", name="Verify Your Email Address")
    ).to_be_visible()
    page.goto(confirmation_link(email))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".member-menu")).to_be_visible()

    # Signed out, the same WeChat identity signs straight in again.
    page.locator(".member-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("/accounts/login/?next=/en/community/account/")
    wechat_consent(page)
    page.get_by_label("Another nickname").fill(nickname)
    page.get_by_role("button", name="Allow").click()
    expect(page).to_have_url(re.compile(r"/en/community/account/$"))
    expect(page.get_by_label("Display name")).to_have_value(nickname)
    assert page.js_errors == []


def test_the_sandbox_in_chinese_and_deny(browser, snap, viewport, sandbox_site):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],
        base_url=sandbox_site,
        locale="zh-CN",
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
    )
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        wechat = page.locator("a.provider-button--weixin")
        expect(wechat).to_contain_text("微信")
        snap(page, "sandbox-sign-in-zh")
        wechat.click()
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("微信")
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(page.locator("button[value=allow]")).to_be_visible()
        snap(page, "sandbox-consent-zh")
        page.locator("button[value=deny]").click()
        expect(page).to_have_url(re.compile(r"/accounts/3rdparty/login/cancelled/$"))
        snap(page, "sandbox-cancelled-zh")
        expect(page.locator(".member-menu")).to_have_count(0)
    finally:
        context.close()
