"""The API docs page in a browser: Swagger UI renders the schema from the
site's own files under the site's strict Content Security Policy."""

import pytest

pytestmark = pytest.mark.e2e


def test_docs_page_renders_without_csp_violations(live_site, browser):
    context = browser.new_context()
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("requestfailed", lambda request: problems.append(request.url))
    page.goto(live_site + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "Socialsite community API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock-tag").count() >= 5
    assert not [p for p in problems if "Content Security Policy" in p], problems
    assert not [p for p in problems if not p.startswith(live_site)], problems
    context.close()
