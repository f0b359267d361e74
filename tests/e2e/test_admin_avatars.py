"""The demo's editor in the Wagtail admin (Chromium): the dashboard and a page
editor break no rule of the admin's Content Security Policy, and every avatar
they show loads (from the site: no Gravatar)."""

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import VIEWPORTS

# Records every CSP violation of the document, including those the console
# does not show (e.g. after a reload).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""

# Each avatar picture of the page, loaded again under the page's policy:
# [src, naturalWidth] (0 when it failed).
AVATARS = """
async () => {
  const selector = ".avatar img, img.avatar, img[src*='avatar']";
  const images = [...document.querySelectorAll(selector)];
  return Promise.all(images.map((img) => new Promise((resolve) => {
    const probe = new Image();
    probe.onload = () => resolve([img.src, probe.naturalWidth]);
    probe.onerror = () => resolve([img.src, 0]);
    probe.src = img.src;
  })));
}
"""


def check(page, console_errors, origin):
    page.wait_for_load_state("networkidle")
    avatars = page.evaluate(AVATARS)
    assert avatars, f"no avatar on {page.url}"
    for src, width in avatars:
        assert width > 0, f"avatar {src} did not load on {page.url}"
        assert urlsplit(src).netloc == origin, f"avatar {src} is not the site's"
    assert page.evaluate("window.__cspViolations") == []
    csp = [e for e in console_errors if "Content Security Policy" in e]
    assert csp == []


def test_admin_loads_its_avatars_within_its_policy(browser, live_site):
    context = browser.new_context(viewport=VIEWPORTS["desktop"], base_url=live_site)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console_errors = []
    page.on(
        "console",
        lambda message: (
            console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    origin = urlsplit(live_site).netloc
    try:
        page.goto("/admin/login/?next=/admin/")
        page.locator("input[name=username]").fill("editor")
        page.locator("input[name=password]").fill("cloudmist-editor")
        page.locator("button[type=submit]").first.click()
        expect(page.locator("body.homepage, main").first).to_be_visible()
        assert urlsplit(page.url).path == "/admin/"
        check(page, console_errors, origin)

        # The site's home page in the page editor.
        page.goto("/admin/pages/")
        edit = page.locator("a[href*='/edit/']").first
        edit.click()
        expect(page.locator("form#page-edit-form")).to_be_visible()
        check(page, console_errors, origin)
        assert console_errors == []
    finally:
        context.close()
