"""The reference documents every setting the apps read."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def app_settings(app):
    tree = ast.parse((ROOT / app / "app_settings.py").read_text())
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(getattr(d, "id", None) == "property" for d in node.decorator_list)
    ]


@pytest.mark.parametrize(
    ("app", "prefix"), [("sharing", "SHARING_"), ("community", "COMMUNITY_")]
)
def test_every_setting_is_in_the_reference(app, prefix):
    reference = (ROOT / "docs" / "reference.md").read_text()
    names = app_settings(app)
    assert names
    missing = [name for name in names if f"`{prefix}{name}`" not in reference]
    assert missing == []
