import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model

from socialsite.sandbox.servers import SERVERS

SERVER = {server.id: server for server in SERVERS}
LOGIN = {
    "weixin": "/accounts/weixin/login/",
    "qq": "/accounts/qq/login/",
    "weibo": "/accounts/weibo/login/",
    "openid_connect": "/accounts/oidc/openid/login/",
}


@pytest.fixture
def sandbox(settings):
    """Sandbox mode as dev.py sets it."""
    settings.SOCIAL_LOGIN_SANDBOX = True
    settings.SOCIALACCOUNT_ADAPTER = (
        "socialsite.sandbox.adapter.SandboxSocialAccountAdapter"
    )
    return SERVER


def path_of(url):
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def query_of(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def start(client, provider, **headers):
    """The site's sign-in button: returns the authorize URL."""
    response = client.post(LOGIN[provider], **headers)
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def consent(client, authorize_url, decision="allow", **fields):
    """The consent page, then the visitor's decision: returns the redirect
    back to the site."""
    page = client.get(path_of(authorize_url))
    assert page.status_code == 200, page.content[:500]
    assert b'name="decision" value="allow"' in page.content
    data = {"identity": "小雨", "nickname": "", "decision": decision, **fields}
    response = client.post(path_of(authorize_url), data)
    assert response.status_code == 302, response.content[:800]
    return response["Location"]


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def confirmation_path(mailoutbox):
    link = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mailoutbox[-1].body
    )
    assert link, mailoutbox[-1].body
    return link.group(1)
