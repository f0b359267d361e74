"""community ships allauth's pages styled, inside whatever base template the
site names (COMMUNITY_BASE_TEMPLATE): here the base of a `wagtail start`
project, from tests/testapp."""

import copy
from types import SimpleNamespace

import pytest
from django.test import override_settings

from community import checks

pytestmark = pytest.mark.django_db

PLAIN_BASE = "testapp/plain_base.html"
PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]


@pytest.mark.parametrize("path", PAGES)
def test_account_pages_are_styled_inside_the_site_s_base(client, settings, path):
    settings.COMMUNITY_BASE_TEMPLATE = PLAIN_BASE
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    # The plain base, not the demo's, and none of allauth's bare layout.
    assert "css/mysite.css" in html and 'class="site-header"' not in html
    assert "<strong>Menu:</strong>" not in html
    # community's own layout, stylesheet and elements, in the base's blocks.
    assert '<body class="auth-body auth-body--entrance">' in html
    assert "/static/community/community.css" in html
    assert '<meta name="robots" content="noindex">' in html
    assert '<form class="form" method="post"' in html
    assert '<div class="field' in html


def test_the_title_fills_the_base_s_title_block(client, settings):
    settings.COMMUNITY_BASE_TEMPLATE = PLAIN_BASE
    html = client.get("/accounts/login/").content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Sign In" in title


def test_account_settings_use_the_same_base(client, settings, django_user_model):
    settings.COMMUNITY_BASE_TEMPLATE = PLAIN_BASE
    user = django_user_model.objects.create_user("tpl", "tpl@example.com", "x")
    client.force_login(user)
    html = client.get("/accounts/email/").content.decode()
    assert '<body class="auth-body auth-body--manage">' in html
    assert "css/mysite.css" in html and 'class="account-tabs"' in html


def test_without_the_context_processor_the_pages_extend_base_html(client, settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    processors.remove(checks.CONTEXT_PROCESSOR)
    with override_settings(TEMPLATES=templates):
        html = client.get("/accounts/login/").content.decode()
    assert '<body class="auth-body auth-body--entrance">' in html


def test_check_warns_when_community_comes_after_allauth(settings, monkeypatch):
    apps = [app for app in settings.INSTALLED_APPS if app != "community"]
    apps.insert(apps.index("allauth") + 1, "community")
    # Only what the check reads: reordering the real INSTALLED_APPS would
    # reload the app registry and the URLs.
    project = SimpleNamespace(INSTALLED_APPS=apps, TEMPLATES=settings.TEMPLATES)
    monkeypatch.setattr(checks, "settings", project)
    assert [error.id for error in checks.check_templates()] == ["community.W002"]


def test_check_warns_when_the_base_template_cannot_be_read(settings):
    settings.COMMUNITY_BASE_TEMPLATE = PLAIN_BASE
    assert checks.check_templates() == []
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].remove(checks.CONTEXT_PROCESSOR)
    settings.TEMPLATES = templates
    assert [error.id for error in checks.check_templates()] == ["community.W003"]
