"""Proof that the apps drop into any Wagtail site.

From scratch: build the wheel, install it into a fresh virtual environment,
create a project with `wagtail start`, apply the installation steps exactly as
docs/installation.md shows them (the code blocks are read from the document,
so the docs and this test cannot drift), migrate, and render pages with the
apps' template tags. Three recipes: members and comments (`community` and
`community.comments`: a member posts a comment), everything, on a site that
already has `wagtail.contrib.settings` as wagtail/bakerydemo does (the home
page with a member's comment, a board, a post and the sign-in page render),
and `sharing` alone.

Slow (a fresh virtual environment, then one project per recipe): marked
`integration`, run by CI and `make test-integration`, not by the default
`make test`.
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
    apps = {
        "community": "community",
        "community/comments": "community_comments",
        "community/posts": "community_posts",
        "community/insights": "community_insights",
        "sharing": "sharing",
    }
    for app, label in apps.items():
        assert any(n.startswith(f"{app}/migrations/0001") for n in names), app
        assert any(n.startswith(f"{app}/templates/{label}/") for n in names), app
        assert f"{app}/locale/zh_Hans/LC_MESSAGES/django.mo" in names, app


# Each recipe: the snippets it applies, in order (a recipe may build on
# another's settings and URLs).
RECIPES = {
    "comments": ["comments"],
    "full": ["comments", "full"],
    "sharing": ["sharing"],
}
PARTS = ("settings", "urls", "models", "template", "expect")

# A member with a verified address comments on the home page through the
# comments' own endpoint, with the security fields the page's form carries.
POST_A_COMMENT = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import Page

from community.comments.forms import CommentForm
from community.comments.models import Comment

page = Page.objects.get(depth=2).specific
user = get_user_model().objects.create_user("mei", "mei@example.com", "tea-1234-pot")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
client = Client()
client.force_login(user)
initial = CommentForm(page).initial
fields = ("content_type", "object_pk", "timestamp", "security_hash")
data = {name: initial[name] for name in fields}
data.update(comment="Installed from the wheel.", reply_to=0, honeypot="")
response = client.post(reverse("community_comments:post"), data)
print("posted", response.status_code)
print("stored", Comment.objects.filter(comment="Installed from the wheel.").count())
print("shown", "Installed from the wheel." in client.get("/").content.decode())
"""

# An editor's board, placed under the home page, and a member's published
# story on it.
ADD_A_BOARD = """
from django.contrib.auth import get_user_model
from wagtail.models import Page

from community.posts.models import CommunityBoardPage, Post

home = Page.objects.get(depth=2)
board = home.add_child(instance=CommunityBoardPage(title="Tea talk", slug="tea-talk"))
author = get_user_model().objects.create_user("lan", "lan@example.com", "tea-1234-pot")
post = Post.objects.create(
    board=board, author=author, kind="story", state="published", language="en",
    title="Spring harvest", body="The first **Longjing** of the year.",
)
print("board", board.url)
print("post", post.get_absolute_url())
"""


def documented_variants():
    return sorted({name.split("/")[0] for name in snippets()})


def test_the_installation_guide_documents_every_recipe():
    assert documented_variants() == sorted(RECIPES)
    for variant in documented_variants():
        for part in PARTS:
            assert f"{variant}/{part}" in snippets(), f"{variant}/{part} missing"


def test_the_installation_guide_names_what_each_app_needs():
    guide = DOC.read_text()
    for line in (
        'path("community/", include("community.urls"))',
        'path("community/comments/", include("community.comments.urls"))',
        'path("community/posts/", include("community.posts.urls"))',
        'path("comments/", include("community.comments.xtd_urls"))',
        'COMMENTS_XTD_MODEL = "community.comments.models.Comment"',
        'COMMENTS_XTD_FORM_CLASS = "community.comments.forms.CommentForm"',
        '"wagtail.contrib.routable_page"',
    ):
        assert line in guide, line


def shell(manage, code, cwd, env):
    """The lines a script run by `manage.py shell` prints."""
    out = run([*manage, "shell", "--no-imports", "-c", code], cwd, env)
    return out.splitlines()


def get(manage, path, cwd, env):
    """(status, body) of an anonymous GET of `path`."""
    out = run(
        [
            *manage,
            "shell",
            "--no-imports",
            "-c",
            "from django.test import Client;"
            f"r = Client().get({path!r});"
            "print(r.status_code);"
            "print(r.content.decode())",
        ],
        cwd,
        env,
    )
    status, _, body = out.partition("\n")
    return int(status.strip().split()[-1]), body


@pytest.mark.parametrize("variant", sorted(RECIPES))
def test_install_into_a_new_wagtail_project(tmp_path, environment, variant):
    docs = snippets()
    steps = RECIPES[variant]
    bin_dir = environment.parent
    run([bin_dir / "wagtail", "start", "mysite", str(tmp_path)], tmp_path)
    settings = tmp_path / "mysite" / "settings" / "base.py"
    project_settings = settings.read_text()
    if variant != "comments":
        # Like wagtail/bakerydemo, the site has wagtail.contrib.settings already:
        # the documented settings must add only what is missing.
        project_settings = project_settings.replace(
            '"wagtail.contrib.forms",',
            '"wagtail.contrib.forms",\n    "wagtail.contrib.settings",',
            1,
        )
        assert '"wagtail.contrib.settings"' in project_settings
    settings.write_text(
        "\n".join([project_settings, *(docs[f"{s}/settings"] for s in steps)])
    )
    urls = tmp_path / "mysite" / "urls.py"
    urls.write_text("\n".join([urls.read_text(), *(docs[f"{s}/urls"] for s in steps)]))
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
    installed = shell(
        manage,
        "from django.apps import apps\n"
        "for app in ('community', 'community.comments', 'community.posts',"
        " 'community.insights', 'sharing'):\n"
        "    print(app, apps.is_installed(app))",
        tmp_path,
        env,
    )
    expected_apps = {
        "comments": {"community", "community.comments"},
        "full": {
            "community",
            "community.comments",
            "community.posts",
            "community.insights",
            "sharing",
        },
        "sharing": {"sharing"},
    }[variant]
    assert {
        line.split()[0] for line in installed if line.endswith(" True")
    } == expected_apps, installed

    status, body = get(manage, "/", tmp_path, env)
    assert status == 200, body
    for expected in docs[f"{variant}/expect"].split("\n"):
        if expected.strip():
            assert expected.strip() in body, f"{expected!r} not in the page"

    if variant in ("comments", "full"):
        lines = shell(manage, POST_A_COMMENT, tmp_path, env)
        assert "posted 302" in lines, lines
        assert "stored 1" in lines, lines
        assert "shown True" in lines, lines

    if variant == "full":
        made = dict(
            line.split(maxsplit=1)
            for line in shell(manage, ADD_A_BOARD, tmp_path, env)
            if line.startswith(("board ", "post "))
        )
        board, post = made["board"], made["post"]
        status, body = get(manage, board, tmp_path, env)
        assert status == 200, body
        assert "<h1>Tea talk</h1>" in body
        assert f'class="board__rss" href="{board}feed/"' in body
        assert "Spring harvest" in body
        status, body = get(manage, post, tmp_path, env)
        assert status == 200, body
        assert "Spring harvest" in body
        assert "<strong>Longjing</strong>" in body
        assert 'id="comments"' in body

    if variant in ("comments", "full"):
        # The sign-in page is community's styled one (not allauth's bare page),
        # inside the project's own base.html (its title suffix, its blocks).
        status, body = get(manage, "/accounts/login/", tmp_path, env)
        assert status == 200, body
        assert 'name="login"' in body
        assert 'name="password"' in body
        assert 'class="auth-body auth-body--entrance"' in body
        assert "/static/community/community.css" in body
        assert '<form class="form" method="post"' in body
        assert '<meta name="robots" content="noindex">' in body
        assert "<strong>Menu:</strong>" not in body  # allauth's bare layout
        assert "css/mysite.css" in body  # the project's base.html
