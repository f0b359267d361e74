"""End-to-end tests: the demo site served by a real server process on loopback,
driven by Debian's chromium through Playwright (the fixtures `live_site` and
`browser` are in tests/live.py). Screenshots go to artifacts/screenshots/."""

import os

import pytest
from playwright.sync_api import expect

from tests.live import ROOT

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


# The demo server shares the machine with the other test workers: give the
# browser's expectations more than Playwright's default 5 s.
expect.set_options(timeout=15_000)


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, viewport, live_site):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],
        base_url=live_site,
        locale="en-US",
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.js_errors = errors
    yield page
    context.close()


# Lazy images load now, and the page's images and fonts are all in before a
# full-page screenshot (quicker than scrolling through the page and waiting
# for the network to be idle).
LOAD_EVERY_IMAGE = """async () => {
  for (const img of document.querySelectorAll("img[loading=lazy]")) {
    img.loading = "eager";
  }
  await Promise.all([...document.images].filter(img => !img.complete).map(
    img => new Promise(done => { img.onload = img.onerror = done; })));
  await document.fonts.ready;
}"""


@pytest.fixture
def snap(viewport):
    """Save a full-page screenshot, with every image (lazy ones too) loaded."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.wait_for_load_state("load")
        page.evaluate(LOAD_EVERY_IMAGE)
        path = SCREENSHOTS / f"{name}-{viewport}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
