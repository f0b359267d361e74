"""Social login end to end against a real OpenID Connect provider: a
django-oauth-toolkit identity provider in its own process on loopback, used
through allauth's `openid_connect` provider. Nothing is mocked."""

import os
import re
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model

from community.models import Profile
from tests.factories import MemberFactory

ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/accounts/oidc/idp/login/callback/"


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("idp")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.idp.settings",
        PYTHONPATH=str(ROOT),
        IDP_DB=str(workdir / "idp.sqlite3"),
        IDP_RSA_KEY=pem,
        IDP_REDIRECT_URI=CALLBACK,
    )
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*django, "shell", "-c", "import tests.idp.setup_data as s; s.run()"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    server = subprocess.Popen(
        [*django, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "idp.log", "w"),  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(url + "/o/.well-known/openid-configuration", timeout=2)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError((workdir / "idp.log").read_text()) from None
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def oidc_app(idp, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "idp",
                    "name": "Tea Identity",
                    "client_id": "cloudmist",
                    "secret": "cloudmist-secret",
                    "settings": {
                        "server_url": idp + "/o",
                        "oauth_pkce_enabled": True,
                    },
                }
            ]
        }
    }
    return idp


def sign_in_at_idp(idp, username):
    browser = requests.Session()
    browser.get(idp + "/login/")
    response = browser.post(
        idp + "/login/",
        data={
            "username": username,
            "password": "idp-pass-1",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "next": "/o/",
        },
        headers={"Referer": idp + "/login/"},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text
    return browser


def social_login(client, idp, username):
    """Our sign-in button, the IdP's consent page, the callback to our site."""
    response = client.post("/accounts/oidc/idp/login/")
    assert response.status_code == 302
    authorize = response["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(idp + "/o/authorize/")
    assert query["code_challenge_method"] == ["S256"]
    browser = sign_in_at_idp(idp, username)
    consent = browser.get(authorize)
    assert "Tea Identity" in consent.text or "Cloudmist Tea" in consent.text
    hidden = {
        unescape(name): unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', consent.text
        )
    }
    response = browser.post(
        idp + "/o/authorize/",
        data={**hidden, "allow": "Authorize"},
        headers={"Referer": authorize},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    back = urlsplit(response.headers["Location"])
    assert f"http://{back.netloc}{back.path}" == CALLBACK
    return client.get(back.path + "?" + back.query)


@pytest.mark.django_db
def test_openid_connect_login_creates_account_and_profile_once(client, oidc_app):
    users_before = get_user_model().objects.count()
    response = social_login(client, oidc_app, "jade")
    assert response.status_code == 302
    user = get_user_model().objects.get(email="jade@example.com")
    assert client.session["_auth_user_id"] == str(user.pk)
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "idp"
    assert "access_token" not in str(account.extra_data)
    assert Profile.objects.get(user=user).display_name == "Jade Wu"
    # The IdP vouched for the address.
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    response = social_login(client, oidc_app, "jade")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert get_user_model().objects.count() == users_before + 1
    assert SocialAccount.objects.count() == 1


@pytest.mark.django_db
def test_unverified_address_at_the_idp_takes_no_account_over(client, oidc_app):
    victim = MemberFactory(email="victim@example.com")
    users_before = get_user_model().objects.count()
    response = social_login(client, oidc_app, "mallory")
    # allauth answers as if a verification mail went out (no enumeration);
    # no account is made and none is connected.
    assert response["Location"] == "/accounts/confirm-email/"
    assert get_user_model().objects.count() == users_before
    assert client.session.get("_auth_user_id") != str(victim.pk)
    assert not SocialAccount.objects.filter(user=victim).exists()
