"""A visitor joins: sign-in page with social providers, e-mail sign-up and
verification, profile settings with an avatar, the public profile, sign-out."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.live import LIVE_SITE_ENV, live_shell

PROVIDERS = """
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site

apps = [
    ("weixin", "WeChat", {}),
    ("qq", "QQ", {}),
    ("weibo", "Weibo", {}),
    ("github", "GitHub", {}),
    ("google", "Google", {}),
    ("openid_connect", "LinkedIn", {"server_url": "https://www.linkedin.com/oauth"}),
]
for provider, name, settings in apps:
    app, _ = SocialApp.objects.get_or_create(
        provider=provider, name=name,
        defaults={"client_id": "demo-" + provider, "secret": "x",
                  "provider_id": "linkedin" if provider == "openid_connect" else "",
                  "settings": settings},
    )
    app.sites.add(Site.objects.get_current())
"""


@pytest.fixture(scope="module")
def providers_configured(live_site):
    live_shell(PROVIDERS)
    return live_site


def confirmation_link(email):
    mail_dir = Path(LIVE_SITE_ENV["EMAIL_FILE_PATH"])
    for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
        text = path.read_text()
        if email in text:
            found = re.findall(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", text)
            if found:
                return found[-1]
    raise AssertionError(f"No confirmation e-mail for {email}")


def avatar_file(tmp_path):
    path = tmp_path / "me.png"
    image = Image.new("RGB", (600, 400), (59, 122, 92))
    for x in range(150, 450):
        for y in range(80, 320, 3):
            image.putpixel((x, y), (247, 243, 234))
    out = io.BytesIO()
    image.save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_visitor_joins_and_edits_profile(
    page, snap, viewport, providers_configured, tmp_path
):
    email = f"join-{viewport}@example.com"
    page.goto("/accounts/login/?next=/en/")
    expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
    for name in ["WeChat", "QQ", "Weibo", "GitHub", "Google", "LinkedIn"]:
        expect(page.get_by_role("link", name=f"Continue with {name}")).to_be_visible()
    snap(page, "accounts-login")

    page.get_by_role("link", name="sign up").click()
    expect(page.get_by_role("heading", name="Sign Up")).to_be_visible()
    page.get_by_role("textbox", name="Email").fill(email)
    page.locator("#id_password1").fill("a-long-tea-password-77")
    page.get_by_label("Password (again)").fill("a-long-tea-password-77")
    snap(page, "accounts-signup")
    page.get_by_role("button", name="Sign Up").click()
    verify = page.get_by_role("heading", name="Verify Your Email Address")
    expect(verify).to_be_visible()

    page.goto(confirmation_link(email))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".member-menu")).to_be_visible()

    # Settings: name, region, interests, bio and an avatar upload.
    page.goto("/en/community/account/")
    page.get_by_label("Display name").fill("Chen Jing")
    page.get_by_label("Region").fill("Chengdu")
    page.get_by_label("Interests").fill("jasmine tea, oolong")
    page.get_by_label("About me").fill("Jasmine tea and long walks in the hills.")
    page.get_by_label("New avatar").set_input_files(avatar_file(tmp_path))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.locator(".avatar-field img.avatar")).to_be_visible()
    snap(page, "accounts-settings")

    # The member menu (a <details>, keyboard friendly) leads to the profile.
    page.locator(".member-menu summary").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("link", name="My profile").click()
    expect(page.get_by_role("heading", name="Chen Jing")).to_be_visible()
    expect(page.locator(".tag", has_text="jasmine tea")).to_be_visible()
    snap(page, "accounts-profile")

    page.goto("/zh-hans/community/account/")
    expect(page.get_by_role("heading", name="账户设置")).to_be_visible()
    snap(page, "accounts-settings-zh")

    page.goto("/accounts/email/")
    snap(page, "accounts-email")

    page.goto("/en/")
    page.locator(".member-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert page.js_errors == []
