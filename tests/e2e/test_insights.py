"""An editor reads the insights: the home panel, the engagement report with
its charts, the listening report, and downloads an export (desktop + phone)."""

from playwright.sync_api import expect


def test_editor_reads_dashboard_engagement_and_listening(page, snap):
    page.goto("/admin/login/?next=/admin/")
    page.locator("input[name=username]").fill("editor")
    page.locator("input[name=password]").fill("cloudmist-editor")
    page.locator("button[type=submit]").first.click()

    panel = page.locator("section.insights-panel")
    expect(panel).to_contain_text("Last 7 days")
    expect(panel.locator("tr", has_text="Shares")).to_be_visible()
    expect(panel.locator("tr", has_text="Posts")).to_be_visible()
    expect(panel.get_by_role("link", name="Open the posts queue")).to_be_visible()
    panel.scroll_into_view_if_needed()
    snap(page, "insights-dashboard")

    page.goto("/admin/insights/?granularity=day")
    expect(page.locator("main h1, #main h1, header h1").first).to_contain_text(
        "Engagement"
    )
    # Chart.js drew on the canvases (from the json_script data, no inline JS).
    page.wait_for_function(
        "() => document.querySelectorAll('canvas[data-insights-chart]').length > 0"
        " && [...document.querySelectorAll('canvas[data-insights-chart]')]"
        ".every(c => window.Chart && window.Chart.getChart(c))"
    )
    expect(page.locator(".insights-total", has_text="Comments")).to_be_visible()
    expect(page.get_by_text("Top pages and posts by engagement")).to_be_visible()
    snap(page, "insights-engagement")

    with page.expect_download() as download_info:
        page.get_by_text("Download CSV").click()
    content = open(download_info.value.path(), encoding="utf-8").read()
    assert content.splitlines()[0].startswith("period,New members")

    page.goto("/admin/insights/listening/")
    expect(page.get_by_text("Share of voice")).to_be_visible()
    mentions = page.locator(".insights-mention")
    expect(mentions.first).to_be_visible()
    snap(page, "insights-listening")
    # The site's own mentions (the demo's sources outside add newer ones).
    page.goto("/admin/insights/listening/?source=site")
    expect(page.locator(".insights-mention", has_text="玉叶").first).to_contain_text(
        "Negative"
    )
    expect(mentions.first.get_by_role("link", name="Moderate")).to_be_visible()
    # Wagtail's own gravatar avatars and release check are blocked by the
    # site's CSP; nothing else may fail (no inline script, no chart error).
    errors = [
        error
        for error in page.js_errors
        if "gravatar.com" not in error and "latest.txt" not in error
    ]
    assert errors == []
