"""The reference documents every setting the apps read."""

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


APPS = [
    ("sharing", "SHARING_"),
    ("community", "COMMUNITY_"),
    ("community/comments", "COMMUNITY_COMMENTS_"),
    ("community/posts", "COMMUNITY_POSTS_"),
    ("community/insights", "COMMUNITY_INSIGHTS_"),
    ("community/events", "COMMUNITY_EVENTS_"),
    ("community/campaigns", "COMMUNITY_CAMPAIGNS_"),
    ("community/api", "COMMUNITY_API_"),
]


def app_settings(app):
    tree = ast.parse((ROOT / app / "app_settings.py").read_text())
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(getattr(d, "id", None) == "property" for d in node.decorator_list)
    ]


def app_prefix(app):
    """The prefix an app's settings module reads its settings with."""
    module = importlib.import_module(app.replace("/", ".") + ".app_settings")
    return module._app_settings.prefix


def documented_settings():
    reference = (ROOT / "docs" / "reference.md").read_text()
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", reference, re.MULTILINE))


@pytest.mark.parametrize(("app", "prefix"), APPS)
def test_every_setting_is_in_the_reference(app, prefix):
    reference = (ROOT / "docs" / "reference.md").read_text()
    names = app_settings(app)
    assert names
    missing = [name for name in names if f"`{prefix}{name}`" not in reference]
    assert missing == []


@pytest.mark.parametrize(("app", "prefix"), APPS)
def test_each_app_reads_its_own_prefix(app, prefix):
    assert app_prefix(app) == prefix


def test_the_settings_tables_list_exactly_what_the_apps_read():
    read = {prefix + name for app, prefix in APPS for name in app_settings(app)}
    assert documented_settings() == read
