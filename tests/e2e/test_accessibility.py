"""axe-core (from the npm registry) finds no violation, of any impact, on any
page type of the demo site: at 1280 and 390 px, in both languages, for a
visitor and for a signed-in member. axe runs every rule it runs by default
(WCAG 2 A and AA, colour contrast included, and its best practices)."""

import pytest

from tests.e2e.conftest import VIEWPORTS
from tests.e2e.site_pages import (
    ACCEPT_LANGUAGE,
    AXE_JS,
    LANGUAGES,
    Client,
    member_cookies,
    page_paths,
    require_tool,
)

pytestmark = pytest.mark.validators

RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
  }));
}"""


def axe_violations(page):
    """axe's violations on the page the browser shows."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN_AXE)


def report(found):
    return "\n".join(
        f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']}"
        + "".join(f"\n    {node}" for node in violation["nodes"][:5])
        for where, violation in found
    )


@pytest.fixture
def axe_context(browser, live_site, viewport):
    require_tool(AXE_JS.exists(), f"axe-core ({AXE_JS})")
    contexts = []

    def make(language, member):
        context = browser.new_context(
            viewport=VIEWPORTS[viewport],
            base_url=live_site,
            locale="en-US" if language == "en" else "zh-CN",
            extra_http_headers={"Accept-Language": ACCEPT_LANGUAGE[language]},
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
            # axe is injected as an inline script, which the site's Content
            # Security Policy (rightly) refuses.
            bypass_csp=True,
        )
        if member:
            context.add_cookies(member_cookies(live_site, language))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("member", [False, True], ids=["visitor", "member"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_axe_violations_on_any_page_type(
    axe_context, live_site, viewport, language, member
):
    client = Client(live_site, language)
    if member:
        client.sign_in()
    paths = page_paths(client, member)
    page = axe_context(language, member).new_page()
    found = []
    for name, path in paths:
        response = page.goto(path)
        assert response.status == (404 if name == "not-found" else 200), path
        if member:
            assert "/accounts/login/" not in page.url, f"{name}: signed out"
        found += [(f"{name} ({path})", v) for v in axe_violations(page)]
    assert not found, f"{len(found)} violations:\n{report(found)}"


def test_axe_finds_violations(axe_context):
    """The check can fail: axe reports a picture without alt text and an
    unlabelled button."""
    page = axe_context("en", False).new_page()
    page.goto("/en/")
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.insertAdjacentHTML("afterbegin",
            '<img src="/static/img/favicon.svg"><button></button>');
        }"""
    )
    ids = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "button-name"} <= ids
