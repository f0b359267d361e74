"""QQ Connect and both WeChat flows against fake QQ/WeChat servers on loopback,
through allauth's real login and callback views."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from community import fetch
from community.models import Profile

from .fakes import FakeAPI, png_bytes

pytestmark = pytest.mark.django_db

WECHAT_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI"
)


def start_login(client, provider, **headers):
    """The sign-in button (a POST, as allauth wants): returns the provider's
    authorize URL parsed."""
    response = client.post(f"/accounts/{provider}/login/", **headers)
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    parts = urlsplit(location)
    return location, parts, {k: v[0] for k, v in parse_qs(parts.query).items()}


def confirm_email_from_outbox(client, mailoutbox):
    body = mailoutbox[-1].body
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", body)
    assert link, body
    response = client.post(link.group(1))
    assert response.status_code == 302


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


# QQ


@pytest.fixture
def picture_host(settings, monkeypatch):
    """The fake servers on 127.0.0.1 serve the pictures: allowed over http, and
    127.0.0.1 passes the address check (community.fetch refuses loopback)."""
    settings.COMMUNITY_PROVIDER_PICTURE_HTTP_HOSTS = ["127.0.0.1"]
    check = fetch.is_public_address
    monkeypatch.setattr(
        fetch, "is_public_address", lambda a: a == "127.0.0.1" or check(a)
    )


@pytest.fixture
def qq(settings, picture_host):
    with FakeAPI() as api:
        state = {"code": "qq-code-1", "openid": "QQOPENID42"}
        api.routes = {
            "/oauth2.0/token": lambda q: (
                (200, "text/plain", "access_token=QQTOKEN&expires_in=7776000")
                if q.get("code") == state["code"] and q.get("client_secret") == "qqs"
                else (200, "application/json", {"error": 100019})
            ),
            "/oauth2.0/me": lambda q: (
                200,
                "text/plain",
                'callback( {"client_id":"qqapp","openid":"' + state["openid"] + '"} );',
            ),
            "/user/get_user_info": lambda q: (
                200,
                "application/json",
                {
                    "ret": 0,
                    "msg": "",
                    "nickname": "小雨",
                    "figureurl_qq_2": f"{api.url}/qq-avatar.png",
                }
                if q.get("access_token") == "QQTOKEN"
                and q.get("oauth_consumer_key") == "qqapp"
                and q.get("openid") == state["openid"]
                else {"ret": 1002, "msg": "bad token"},
            ),
            "/qq-avatar.png": lambda q: (200, "image/png", png_bytes("red")),
        }
        settings.SOCIALACCOUNT_PROVIDERS = {
            "qq": {
                "GRAPH_URL": api.url,
                "APPS": [{"client_id": "qqapp", "secret": "qqs"}],
            }
        }
        api.state = state
        yield api


def test_qq_login_signup_and_second_login(
    client, qq, mailoutbox, django_capture_on_commit_callbacks
):
    location, parts, query = start_login(client, "qq")
    assert location.startswith(qq.url + "/oauth2.0/authorize?")
    assert query["client_id"] == "qqapp"
    assert query["scope"] == "get_user_info"
    assert query["redirect_uri"] == "http://testserver/accounts/qq/login/callback/"

    # The visitor agrees at QQ, which sends them back with a code.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            "/accounts/qq/login/callback/",
            {"code": "qq-code-1", "state": query["state"]},
        )
        # QQ gives no e-mail address: allauth asks for one.
        assert response.status_code == 302
        assert response["Location"] == "/accounts/3rdparty/signup/"
        response = client.post(
            "/accounts/3rdparty/signup/", {"email": "xiaoyu@example.com"}
        )
    assert response.status_code == 302
    account = SocialAccount.objects.get(provider="qq")
    assert account.uid == "QQOPENID42"
    profile = Profile.objects.get(user=account.user)
    assert profile.display_name == "小雨"
    # The QQ picture was copied into the site's own storage.
    assert profile.avatar.name.endswith(".webp")
    assert qq.calls("/qq-avatar.png")
    assert "access_token" not in account.extra_data

    # Not yet verified: no session. Verify, then sign in again with QQ.
    assert signed_in_user(client) is None
    confirm_email_from_outbox(client, mailoutbox)
    client.logout()
    qq.state["code"] = "qq-code-2"
    _location, _parts, query = start_login(client, "qq")
    response = client.get(
        "/accounts/qq/login/callback/", {"code": "qq-code-2", "state": query["state"]}
    )
    assert response.status_code == 302
    assert signed_in_user(client) == account.user
    assert SocialAccount.objects.count() == 1
    assert get_user_model().objects.filter(socialaccount__isnull=False).count() == 1


def test_qq_error_is_shown_not_crashed(client, qq):
    _location, _parts, query = start_login(client, "qq")
    response = client.get(
        "/accounts/qq/login/callback/", {"code": "wrong", "state": query["state"]}
    )
    assert response.status_code == 401
    assert "Third-Party Login Failure" in response.content.decode()
    assert not SocialAccount.objects.exists()


# WeChat


@pytest.fixture
def wechat(settings, picture_host):
    with FakeAPI() as api:
        people = {
            # code -> (appid, openid, unionid)
            "web-code": ("wxweb", "OPENID-WEB", "UNION-1"),
            "mp-code": ("wxmp", "OPENID-MP", "UNION-1"),
        }
        secrets = {"wxweb": "websecret", "wxmp": "mpsecret"}

        def token(q):
            appid, openid, unionid = people.get(q.get("code"), (None, None, None))
            if appid is None or q.get("appid") != appid:
                return 200, "application/json", {"errcode": 40029}
            if q.get("secret") != secrets[appid]:
                return 200, "application/json", {"errcode": 40125}
            return (
                200,
                "application/json",
                {
                    "access_token": f"TOKEN-{openid}",
                    "expires_in": 7200,
                    "refresh_token": "R",
                    "openid": openid,
                    "scope": "snsapi_login",
                    "unionid": unionid,
                },
            )

        def userinfo(q):
            openid = q.get("openid")
            if q.get("access_token") != f"TOKEN-{openid}":
                return 200, "application/json", {"errcode": 40001}
            # Like WeChat: raw UTF-8, no charset.
            profile = {
                "openid": openid,
                "nickname": "茶友阿明",
                "headimgurl": f"{api.url}/head.png",
                "unionid": "UNION-1",
            }
            return 200, "text/plain", json.dumps(profile, ensure_ascii=False)

        api.routes = {
            "/sns/oauth2/access_token": token,
            "/sns/userinfo": userinfo,
            "/head.png": lambda q: (200, "image/png", png_bytes("blue")),
        }
        settings.SOCIALACCOUNT_PROVIDERS = {
            "weixin": {
                "OPEN_URL": api.url,
                "API_URL": api.url,
                "APPS": [
                    {
                        "client_id": "wxweb",
                        "secret": "websecret",
                        "settings": {
                            "official_account": {
                                "client_id": "wxmp",
                                "secret": "mpsecret",
                            }
                        },
                    }
                ],
            }
        }
        yield api


def test_wechat_desktop_qr_then_in_app_login_are_one_account(
    client, wechat, mailoutbox, django_capture_on_commit_callbacks
):
    # Outside WeChat: the QR-code login of the website application.
    location, parts, query = start_login(client, "weixin")
    assert parts.path == "/connect/qrconnect"
    assert query["appid"] == "wxweb" and query["scope"] == "snsapi_login"
    assert "#" not in location
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            "/accounts/weixin/login/callback/",
            {"code": "web-code", "state": query["state"]},
        )
        assert response["Location"] == "/accounts/3rdparty/signup/"
        client.post("/accounts/3rdparty/signup/", {"email": "aming@example.com"})
    account = SocialAccount.objects.get(provider="weixin")
    assert account.uid == "UNION-1"  # the unionid, not the openid
    profile = Profile.objects.get(user=account.user)
    assert profile.display_name == "茶友阿明"
    assert profile.avatar
    confirm_email_from_outbox(client, mailoutbox)
    client.logout()

    # Inside WeChat's browser: the official account's in-app OAuth flow.
    in_app = {"HTTP_USER_AGENT": WECHAT_UA}
    location, parts, query = start_login(client, "weixin", **in_app)
    assert parts.path == "/connect/oauth2/authorize"
    assert location.endswith("#wechat_redirect")
    assert query["appid"] == "wxmp" and query["scope"] == "snsapi_userinfo"
    state = query["state"].split("#")[0]
    response = client.get(
        "/accounts/weixin/login/callback/",
        {"code": "mp-code", "state": state},
        **in_app,
    )
    assert response.status_code == 302
    # Another openid (another WeChat app), the same unionid: the same member.
    assert signed_in_user(client) == account.user
    assert SocialAccount.objects.count() == 1
    assert wechat.calls("/sns/oauth2/access_token")[-1]["appid"] == "wxmp"


def test_social_login_never_takes_over_an_account_by_e_mail(client, qq):
    """Someone controls a QQ account claiming the victim's address: they get no
    access to the victim's account."""
    from tests.factories import MemberFactory

    victim = MemberFactory(email="victim@example.com")
    _location, _parts, query = start_login(client, "qq")
    client.get(
        "/accounts/qq/login/callback/", {"code": "qq-code-1", "state": query["state"]}
    )
    response = client.post(
        "/accounts/3rdparty/signup/", {"email": "victim@example.com"}
    )
    # allauth does not even reveal that the address is taken (no enumeration).
    assert response.status_code == 302
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.filter(user=victim).exists()
    assert EmailAddress.objects.filter(email="victim@example.com").count() == 1
    assert list(EmailAddress.objects.filter(user=victim).values_list("email")) == [
        ("victim@example.com",)
    ]
