"""Sandbox mode is configuration: on in dev.py unless real keys are set, a
real application replaces the imitation of its provider, and production
settings (or a public server without DEBUG) refuse it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sites.models import Site

from socialsite.sandbox.checks import check_sandbox

from .conftest import start

ROOT = Path(__file__).resolve().parents[3]


def settings_of(module, **environ):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WECHAT_", "QQ_", "WEIBO_", "OIDC_", "SOCIAL_LOGIN"))
    }
    env.update(DJANGO_SETTINGS_MODULE=module, PYTHONPATH=str(ROOT), **environ)
    script = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'sandbox': s.SOCIAL_LOGIN_SANDBOX,"
        " 'installed': 'socialsite.sandbox' in s.INSTALLED_APPS,"
        " 'adapter': s.SOCIALACCOUNT_ADAPTER,"
        " 'weixin': s.SOCIALACCOUNT_PROVIDERS.get('weixin', {}).get('APPS')}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_dev_settings_turn_the_sandbox_on_without_keys():
    found = settings_of("socialsite.settings.dev")
    assert found["sandbox"] and found["installed"]
    assert found["adapter"].endswith("SandboxSocialAccountAdapter")


def test_real_keys_turn_it_off():
    found = settings_of(
        "socialsite.settings.dev", WECHAT_APP_ID="wx123", WECHAT_APP_SECRET="s"
    )
    assert not found["sandbox"] and not found["installed"]
    assert found["weixin"] == [{"client_id": "wx123", "secret": "s"}]
    assert found["adapter"] == "community.adapters.SocialAccountAdapter"


def test_production_refuses_the_sandbox():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="socialsite.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        SOCIAL_LOGIN_SANDBOX="true",
        DATABASE_URL="sqlite:////tmp/socialsite-sandbox-check.sqlite3",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "socialsite.E001" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"SOCIAL_LOGIN_SANDBOX": False}, None),
        ({"SOCIAL_LOGIN_SANDBOX_ALLOWED": False}, "socialsite.E001"),
        ({"DEBUG": False, "ALLOWED_HOSTS": ["tea.example.com"]}, "socialsite.E002"),
        ({"DEBUG": False, "ALLOWED_HOSTS": ["*"]}, "socialsite.E002"),
        ({"DEBUG": False, "ALLOWED_HOSTS": []}, "socialsite.E002"),
        ({"DEBUG": False, "ALLOWED_HOSTS": ["127.0.0.1", "localhost"]}, None),
        ({"DEBUG": True, "ALLOWED_HOSTS": ["*"]}, None),
    ],
)
def test_the_check(settings, overrides, error):
    settings.SOCIAL_LOGIN_SANDBOX = True
    settings.SOCIAL_LOGIN_SANDBOX_ALLOWED = True
    for name, value in overrides.items():
        setattr(settings, name, value)
    found = [message.id for message in check_sandbox(None)]
    assert found == ([error] if error else [])


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/"])
def test_sign_in_and_up_pages_show_the_four_buttons_with_icons(client, sandbox, url):
    html = client.get(url).content.decode()
    for provider_id, name in [
        ("weixin", "WeChat"),
        ("qq", "QQ"),
        ("weibo", "Weibo"),
        ("openid_connect", "OpenID Connect"),
    ]:
        button = html.split(f"provider-button--{provider_id}", 1)[1].split("</li>")[0]
        assert "<svg" in button and name in button


@pytest.mark.django_db
def test_a_configured_application_replaces_the_imitation(client, sandbox, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "weixin": {"APPS": [{"client_id": "wxreal", "secret": "s"}]},
    }
    assert start(client, "weixin").startswith("https://open.weixin.qq.com/")
    assert "/sandbox-oauth/qq/" in start(client, "qq")


@pytest.mark.django_db
def test_a_social_application_in_the_database_replaces_it_too(client, sandbox):
    from allauth.socialaccount.models import SocialApp

    app = SocialApp.objects.create(provider="qq", name="QQ", client_id="real-qq")
    app.sites.add(Site.objects.get_current())
    location = start(client, "qq")
    assert location.startswith("https://graph.qq.com/oauth2.0/authorize?")
    assert "client_id=real-qq" in location


@pytest.mark.django_db
def test_without_the_sandbox_there_are_no_buttons(client, settings):
    settings.SOCIAL_LOGIN_SANDBOX = False
    html = client.get("/accounts/login/").content.decode()
    assert "provider-button--weixin" not in html
