"""The Nu HTML Checker (vnu-jar from the npm registry, on the machine's Java)
finds no error in any page type of the demo site, in both languages, for a
visitor and for a signed-in member. The pages are saved under
artifacts/html/ and checked in one run of the checker (one JVM start)."""

import json
import shutil
import subprocess

import pytest

from tests.e2e.site_pages import ARTIFACTS, VNU_JAR, collect_pages, require_tool

pytestmark = pytest.mark.validators


def vnu_errors(files):
    """The checker's error messages for `files` (one run)."""
    java = shutil.which("java")
    require_tool(java, "Java (apt-get install default-jre-headless)")
    require_tool(VNU_JAR.exists(), f"The Nu HTML Checker ({VNU_JAR})")
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # The report goes to stderr; exit status 1 means "errors found".
    report = json.loads(result.stderr)
    return [message for message in report["messages"] if message["type"] != "info"]


def test_every_page_type_is_valid_html(live_site):
    pages = collect_pages(live_site)
    assert len(pages) > 80
    unexpected = [
        f"{page.label}: HTTP {page.status} at {page.url}"
        for page in pages
        if page.status != (404 if page.name == "not-found" else 200)
    ]
    assert unexpected == []

    folder = ARTIFACTS / "html"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files = {}
    for page in pages:
        path = folder / f"{page.label}.html"
        path.write_text(page.html)
        files[path.as_uri()] = page
    errors = vnu_errors(files)
    (folder / "vnu.json").write_text(json.dumps(errors, indent=1, ensure_ascii=False))

    report = [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine', '?')}: "
        f"{message['message']}\n    {message.get('extract', '').strip()}"
        f"\n    ({files[message['url']].url})"
        if message.get("url") in files
        else json.dumps(message)
        for message in errors
    ]
    assert not report, f"{len(report)} errors:\n" + "\n".join(report)


def test_the_checker_reports_errors(tmp_path):
    """The check can fail: an invalid page gives errors with file and line."""
    path = tmp_path / "bad.html"
    path.write_text(
        '<!DOCTYPE html><html lang="en"><title>x</title>\n'
        '<p><span aria-label="four stars">★★★★</span>\n'
        '<time datetime="2026-12-01T03:14:25.253331+08:00">today</time>'
    )
    errors = vnu_errors([path])
    assert [(message["lastLine"], message["message"][:24]) for message in errors] == [
        (2, "The “aria-label” attribu"),
        (3, "Bad value “2026-12-01T03"),
    ]
