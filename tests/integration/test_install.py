"""Proof that the apps drop into any Wagtail site.

From scratch: build the wheel, install it into a fresh virtual environment,
create a project with `wagtail start`, apply the installation steps exactly as
docs/installation.md shows them (the code blocks are read from the document,
so the docs and this test cannot drift), migrate, and render a page with the
apps' template tags. Then the same with only `sharing` installed.

Slow (a virtual environment per variant): marked `integration`, run by CI and
`make test-integration`, not by the default `make test`.
"""

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "installation.md"
SNIPPET = re.compile(
    r"<!-- snippet: (?P<name>[\w/-]+) -->\s*```\w*\n(?P<code>.*?)```", re.DOTALL
)

pytestmark = pytest.mark.integration


def snippets():
    return {m["name"]: m["code"] for m in SNIPPET.finditer(DOC.read_text())}


def run(args, cwd, env=None, timeout=600):
    result = subprocess.run(  # noqa: S603
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), "."], ROOT)
    (built,) = out.glob("socialsite-*.whl")
    return built


@pytest.fixture(scope="module")
def environment(tmp_path_factory, wheel):
    """A fresh virtual environment with the wheel installed."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=True)
    python = home / "bin" / "python"
    run([python, "-m", "pip", "install", "--quiet", str(wheel)], home)
    return python


def test_the_wheel_holds_only_the_reusable_apps(wheel):
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.endswith("dist-info/")}
    tops = {top for top in tops if not top.endswith(".dist-info")}
    assert tops == {"community", "sharing"}
    for app in ("community", "sharing"):
        assert any(n.startswith(f"{app}/migrations/0001") for n in names), app
        assert any(n.startswith(f"{app}/templates/{app}/") for n in names), app
        assert any(
            n.endswith(f"{app}/locale/zh_Hans/LC_MESSAGES/django.mo") for n in names
        )


def documented_variants():
    return sorted({name.split("/")[0] for name in snippets()})


def test_the_installation_guide_documents_both_variants():
    assert documented_variants() == ["both", "sharing"]
    for variant in documented_variants():
        for part in ("settings", "urls", "models", "template", "expect"):
            assert f"{variant}/{part}" in snippets(), f"{variant}/{part} missing"


@pytest.mark.parametrize("variant", ["both", "sharing"])
def test_install_into_a_new_wagtail_project(tmp_path, environment, variant):
    docs = snippets()
    bin_dir = environment.parent
    run([bin_dir / "wagtail", "start", "mysite", str(tmp_path)], tmp_path)
    settings = tmp_path / "mysite" / "settings" / "base.py"
    settings.write_text(settings.read_text() + "\n" + docs[f"{variant}/settings"])
    urls = tmp_path / "mysite" / "urls.py"
    urls.write_text(urls.read_text() + "\n" + docs[f"{variant}/urls"])
    (tmp_path / "home" / "models.py").write_text(docs[f"{variant}/models"])
    template = tmp_path / "home" / "templates" / "home" / "home_page.html"
    html = template.read_text()
    html = html.replace(
        "{% block content %}", "{% block content %}\n" + docs[f"{variant}/template"], 1
    )
    template.write_text(html)

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mysite.settings.dev"}
    env.pop("DATABASE_URL", None)
    manage = [environment, "manage.py"]
    run([*manage, "makemigrations", "home"], tmp_path, env)
    run([*manage, "check", "--fail-level", "WARNING"], tmp_path, env)
    run([*manage, "migrate", "--noinput"], tmp_path, env)
    if variant == "sharing":
        installed = run(
            [
                *manage,
                "shell",
                "-c",
                "from django.apps import apps;print(apps.is_installed('community'))",
            ],
            tmp_path,
            env,
        )
        assert installed.strip().endswith("False")
    page = run(
        [
            *manage,
            "shell",
            "--no-imports",
            "-c",
            "from django.test import Client;"
            "r = Client().get('/');"
            "print(r.status_code);"
            "print(r.content.decode())",
        ],
        tmp_path,
        env,
    )
    status, _, body = page.partition("\n")
    assert status.strip().endswith("200"), page
    for expected in docs[f"{variant}/expect"].split("\n"):
        if expected.strip():
            assert expected.strip() in body, f"{expected!r} not in the page"
