"""The imitation servers answer like the real services: parameters, codes good
for one exchange, tokens, profiles and each service's own errors."""

import base64
import json
import re
from urllib.parse import urlencode

import jwt
import pytest
from jwt.algorithms import RSAAlgorithm

from socialsite.sandbox import grants
from socialsite.sandbox.oidc import pkce_challenge

from .conftest import SERVER, path_of, query_of

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/accounts/{}/login/callback/"


def authorize_url(provider, **params):
    server = SERVER[provider]
    base = {
        "weixin": "/sandbox-oauth/weixin/connect/qrconnect",
        "qq": "/sandbox-oauth/qq/oauth2.0/authorize",
        "weibo": "/sandbox-oauth/weibo/oauth2/authorize",
        "openid_connect": "/sandbox-oauth/oidc/authorize",
    }[provider]
    query = {
        server.client_param: server.client_id,
        "redirect_uri": (
            "http://testserver/accounts/oidc/openid/login/callback/"
            if provider == "openid_connect"
            else CALLBACK.format(provider)
        ),
        "response_type": "code",
        "scope": {
            "weixin": "snsapi_login",
            "qq": "get_user_info",
            "weibo": "",
            "openid_connect": "openid profile email",
        }[provider],
        "state": "s-1",
        **params,
    }
    return base + "?" + urlencode({k: v for k, v in query.items() if v is not None})


def code_for(client, provider, nickname="小雨", **params):
    url = authorize_url(provider, **params)
    response = client.post(url, {"identity": nickname, "decision": "allow"})
    assert response.status_code == 302, response.content[:500]
    query = query_of(response["Location"])
    assert query["state"] == "s-1"
    return query["code"]


# The consent page and its refusals.


@pytest.mark.parametrize("provider", list(SERVER))
def test_consent_page_offers_identities_and_says_sandbox(client, sandbox, provider):
    response = client.get(authorize_url(provider))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sandbox" in html and "<main" in html and "<h1>" in html
    for nickname in ("茶友阿明", "Lin Yu", "小雨"):
        assert f'value="{nickname}"' in html
    assert "<svg" in html  # the platform's icon
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize("provider", list(SERVER))
@pytest.mark.parametrize(
    "params",
    [
        {"redirect_uri": "https://evil.example/accounts/qq/login/callback/"},
        {"redirect_uri": "http://testserver/elsewhere/"},
        {"response_type": "token"},
        {"scope": "snsapi_everything openid"},
    ],
)
def test_bad_authorization_requests_get_an_error_page_never_a_redirect(
    client, sandbox, provider, params
):
    for method in (client.get, client.post):
        response = method(authorize_url(provider, **params))
        assert response.status_code == 400
        assert "refused the request" in response.content.decode()


@pytest.mark.parametrize("provider", list(SERVER))
def test_an_unknown_client_is_refused(client, sandbox, provider):
    param = SERVER[provider].client_param
    response = client.get(authorize_url(provider, **{param: "someone-else"}))
    assert response.status_code == 400


@pytest.mark.parametrize(
    "nickname", ["", "   ", "<script>", "x" * 21, "a\x00b", "!!!", "9" * 10_000]
)
def test_hostile_nicknames_are_refused_on_the_page(client, sandbox, nickname):
    response = client.post(
        authorize_url("weixin"), {"nickname": nickname, "decision": "allow"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html or "Choose who to sign in as" in html


def test_a_typed_nickname_replaces_the_choice(client, sandbox):
    code = code_for(client, "weixin")
    other = client.post(
        authorize_url("weixin"),
        {"identity": "小雨", "nickname": " Zhang Wei ", "decision": "allow"},
    )
    grant_a = grants.redeem_code("weixin", code)
    grant_b = grants.redeem_code("weixin", query_of(other["Location"])["code"])
    assert grant_a["nickname"] == "小雨"
    assert grant_b["nickname"] == "Zhang Wei"


def test_the_sandbox_off_answers_404(client, settings):
    settings.SOCIAL_LOGIN_SANDBOX = False
    for url in [
        authorize_url("weixin"),
        "/sandbox-oauth/weixin/sns/userinfo",
        "/sandbox-oauth/oidc/.well-known/openid-configuration",
    ]:
        assert client.get(url, follow=True).status_code == 404


# WeChat


def test_wechat_token_and_userinfo(client, sandbox):
    code = code_for(client, "weixin", nickname="茶友阿明")
    token_url = "/sandbox-oauth/weixin/sns/oauth2/access_token"
    params = {
        "appid": "wxsandbox00website",
        "secret": "sandbox-secret",
        "code": code,
        "grant_type": "authorization_code",
    }
    answer = client.get(token_url, params).json()
    assert set(answer) == {
        "access_token",
        "expires_in",
        "refresh_token",
        "openid",
        "scope",
        "unionid",
    }
    assert answer["scope"] == "snsapi_login"
    assert re.fullmatch(r"o[0-9a-f]{27}", answer["openid"])
    # A code is good once.
    assert client.get(token_url, params).json()["errcode"] == 40029
    profile = client.get(
        "/sandbox-oauth/weixin/sns/userinfo",
        {"access_token": answer["access_token"], "openid": answer["openid"]},
    )
    # Like WeChat: UTF-8 JSON served as text/plain without a charset.
    assert profile["Content-Type"] == "text/plain"
    data = json.loads(profile.content.decode("utf-8"))
    assert data["nickname"] == "茶友阿明"
    assert data["unionid"] == answer["unionid"]
    assert "茶友阿明".encode() in profile.content


@pytest.mark.parametrize(
    ("change", "errcode"),
    [
        ({"appid": "wxother"}, 40013),
        ({"secret": "wrong"}, 40125),
        ({"code": "forged"}, 40029),
        ({"code": "\x00"}, 40029),
        ({"grant_type": "client_credentials"}, 40002),
    ],
)
def test_wechat_token_errors(client, sandbox, change, errcode):
    params = {
        "appid": "wxsandbox00website",
        "secret": "sandbox-secret",
        "code": code_for(client, "weixin"),
        "grant_type": "authorization_code",
        **change,
    }
    response = client.get("/sandbox-oauth/weixin/sns/oauth2/access_token", params)
    assert response.status_code == 200
    assert response.json()["errcode"] == errcode


def test_wechat_userinfo_errors(client, sandbox):
    url = "/sandbox-oauth/weixin/sns/userinfo"
    assert client.get(url, {"access_token": "x"}).json()["errcode"] == 40001
    token = grants.issue_token("weixin", openid="oA", nickname="n")
    answer = client.get(url, {"access_token": token, "openid": "oB"}).json()
    assert answer["errcode"] == 40003
    # A QQ token is no WeChat token.
    qq_token = grants.issue_token("qq", openid="oA", nickname="n")
    answer = client.get(url, {"access_token": qq_token, "openid": "oA"}).json()
    assert answer["errcode"] == 40001


def test_wechat_deny_sends_back_the_state_only(client, sandbox):
    response = client.post(authorize_url("weixin"), {"decision": "deny"})
    assert response.status_code == 302
    assert query_of(response["Location"]) == {"state": "s-1"}


# QQ


def test_qq_token_me_and_user_info(client, sandbox):
    code = code_for(client, "qq", nickname="Lin Yu")
    params = {
        "grant_type": "authorization_code",
        "client_id": "101000000",
        "client_secret": "sandbox-secret",
        "code": code,
        "redirect_uri": CALLBACK.format("qq"),
    }
    response = client.get("/sandbox-oauth/qq/oauth2.0/token", params)
    # QQ's default answer is a query string, not JSON.
    assert response["Content-Type"] == "text/plain"
    token = query_of("?" + response.content.decode())["access_token"]
    me = client.get("/sandbox-oauth/qq/oauth2.0/me", {"access_token": token})
    text = me.content.decode()
    assert text.startswith("callback( {") and text.rstrip().endswith("} );")
    identity = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    assert identity["client_id"] == "101000000"
    assert re.fullmatch(r"[0-9A-F]{32}", identity["openid"])
    me_json = client.get(
        "/sandbox-oauth/qq/oauth2.0/me",
        {"access_token": token, "unionid": "1", "fmt": "json"},
    ).json()
    assert me_json["unionid"].startswith("UID_")
    info = client.get(
        "/sandbox-oauth/qq/user/get_user_info",
        {
            "access_token": token,
            "oauth_consumer_key": "101000000",
            "openid": identity["openid"],
        },
    ).json()
    assert info["ret"] == 0 and info["nickname"] == "Lin Yu"
    # The code was used.
    again = client.get("/sandbox-oauth/qq/oauth2.0/token", params).content.decode()
    assert '"error":100019' in again.replace(" ", "")


def test_qq_errors(client, sandbox):
    token_url = "/sandbox-oauth/qq/oauth2.0/token"
    bad = client.get(token_url, {"client_id": "101000000", "client_secret": "no"})
    assert "100015" in bad.content.decode()
    me = client.get("/sandbox-oauth/qq/oauth2.0/me", {"access_token": "forged"})
    assert "100016" in me.content.decode()
    token = grants.issue_token("qq", openid="A" * 32, nickname="n")
    info = client.get(
        "/sandbox-oauth/qq/user/get_user_info",
        {"access_token": token, "oauth_consumer_key": "1", "openid": "A" * 32},
    ).json()
    assert info["ret"] == 100007


# Weibo


def test_weibo_access_token_and_users_show(client, sandbox):
    code = code_for(client, "weibo", nickname="茶友阿明")
    data = {
        "client_id": "3000000000",
        "client_secret": "sandbox-secret",
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CALLBACK.format("weibo"),
    }
    assert client.get("/sandbox-oauth/weibo/oauth2/access_token").status_code == 405
    response = client.post("/sandbox-oauth/weibo/oauth2/access_token", data)
    assert response["Content-Type"] == "text/plain;charset=UTF-8"
    answer = json.loads(response.content)
    assert set(answer) == {
        "access_token",
        "remind_in",
        "expires_in",
        "uid",
        "isRealName",
    }
    assert re.fullmatch(r"[1-9]\d{9}", answer["uid"])
    again = client.post("/sandbox-oauth/weibo/oauth2/access_token", data)
    assert again.status_code == 400 and again.json()["error_code"] == 21325
    user = client.get(
        "/sandbox-oauth/weibo/2/users/show.json",
        {"access_token": answer["access_token"], "uid": answer["uid"]},
    ).json()
    assert user["idstr"] == answer["uid"] and user["id"] == int(answer["uid"])
    assert user["screen_name"] == "茶友阿明"
    wrong = client.get(
        "/sandbox-oauth/weibo/2/users/show.json",
        {"access_token": "forged", "uid": answer["uid"]},
    )
    assert wrong.status_code == 401 and wrong.json()["error_code"] == 21332


def test_weibo_deny_is_error_21330(client, sandbox):
    response = client.post(authorize_url("weibo"), {"decision": "deny"})
    query = query_of(response["Location"])
    assert query["error"] == "access_denied" and query["error_code"] == "21330"


# OpenID Connect


def test_oidc_discovery_jwks_token_and_userinfo(client, sandbox):
    config = client.get("/sandbox-oauth/oidc/.well-known/openid-configuration").json()
    assert config["issuer"] == "http://testserver/sandbox-oauth/oidc"
    for key in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint"):
        assert config[key].startswith(config["issuer"] + "/")
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    verifier = "v" * 50
    code = code_for(
        client,
        "openid_connect",
        nickname="Lin Yu",
        nonce="n-1",
        code_challenge=pkce_challenge(verifier),
        code_challenge_method="S256",
    )
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": "http://testserver/accounts/oidc/openid/login/callback/",
        "code_verifier": verifier,
    }
    basic = base64.b64encode(b"sandbox-client:sandbox-secret").decode()
    response = client.post(
        path_of(config["token_endpoint"]), data, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    answer = response.json()
    assert answer["token_type"] == "Bearer"
    keys = client.get(path_of(config["jwks_uri"])).json()["keys"]
    header = jwt.get_unverified_header(answer["id_token"])
    key = next(k for k in keys if k["kid"] == header["kid"])
    claims = jwt.decode(
        answer["id_token"],
        RSAAlgorithm.from_jwk(json.dumps(key)),
        algorithms=["RS256"],
        audience="sandbox-client",
        issuer=config["issuer"],
    )
    assert claims["nonce"] == "n-1" and claims["name"] == "Lin Yu"
    assert claims["email_verified"] is True
    info = client.get(
        path_of(config["userinfo_endpoint"]),
        HTTP_AUTHORIZATION=f"Bearer {answer['access_token']}",
    ).json()
    assert info["sub"] == claims["sub"] and info["email"] == claims["email"]


def test_oidc_refuses_a_wrong_verifier_secret_or_token(client, sandbox):
    code = code_for(
        client,
        "openid_connect",
        code_challenge=pkce_challenge("right" * 10),
        code_challenge_method="S256",
    )
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": "http://testserver/accounts/oidc/openid/login/callback/",
        "client_id": "sandbox-client",
        "client_secret": "sandbox-secret",
        "code_verifier": "wrong" * 10,
    }
    response = client.post("/sandbox-oauth/oidc/token", data)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    response = client.post(
        "/sandbox-oauth/oidc/token", {**data, "client_secret": "guess"}
    )
    assert response.status_code == 401
    response = client.post(
        "/sandbox-oauth/oidc/token", HTTP_AUTHORIZATION="Basic %%%not-base64"
    )
    assert response.status_code == 401
    response = client.get(
        "/sandbox-oauth/oidc/userinfo", HTTP_AUTHORIZATION="Bearer forged"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_oidc_requires_the_openid_scope(client, sandbox):
    response = client.get(authorize_url("openid_connect", scope="profile email"))
    assert response.status_code == 400
