"""A test app signs a member in through the site's own sign-in page with the
OAuth 2 authorization code flow and PKCE, then comments through the API."""

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest

from community.comments.models import Comment

pytestmark = pytest.mark.django_db

REDIRECT = "http://127.0.0.1:9/callback"


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return verifier, challenge


def authorize_params(app, challenge, scope="read write:comments"):
    return {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "tea-state",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def sign_in_and_consent(client, app, member, challenge):
    """The member's side: the app opens the authorize URL, the site asks them
    to sign in, then to allow the app; the site sends them back to the app
    with a code."""
    params = authorize_params(app, challenge)
    response = client.get("/api/oauth/authorize/", params)
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith("/accounts/login/")
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    signed_in = client.post(
        "/accounts/login/",
        {"login": member.email, "password": "correct-horse-9", "next": next_url},
    )
    assert signed_in.status_code == 302, signed_in.content[:500]
    assert signed_in["Location"] == next_url
    consent = client.get(next_url)
    assert consent.status_code == 200
    assert b"Tea app" in consent.content
    allowed = client.post("/api/oauth/authorize/", {**params, "allow": "Authorize"})
    assert allowed.status_code == 302
    back = urlsplit(allowed["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT
    query = parse_qs(back.query)
    assert query["state"] == ["tea-state"]
    return query["code"][0]


def code_request(app, code, verifier):
    """The app's token request for an authorization code (PKCE)."""
    return {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": app.client_id,
        "code_verifier": verifier,
    }


def test_app_signs_member_in_with_pkce_and_comments(client, app, member, page):
    verifier, challenge = pkce_pair()
    code = sign_in_and_consent(client, app, member, challenge)

    # The app's side, without the member's session: trade the code, proving
    # it holds the verifier, then call the API with the token.
    app_client = type(client)()
    token = app_client.post("/api/oauth/token/", code_request(app, code, verifier))
    assert token.status_code == 200, token.content
    tokens = token.json()
    assert set(tokens["scope"].split()) == {"read", "write:comments"}
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access_token']}"}
    assert app_client.get("/api/v1/me/", **headers).json()["id"] == member.pk
    response = app_client.post(
        "/api/v1/comments/",
        json.dumps(
            {
                "content_type": "testapp.commentablepage",
                "object_id": page.pk,
                "comment": "Posted from the tea app.",
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    comment = Comment.objects.get(pk=response.json()["comment"]["id"])
    assert comment.user == member
    assert comment.comment == "Posted from the tea app."
    # Its scopes do not reach further than the member allowed.
    post = app_client.post(
        "/api/v1/posts/", "{}", content_type="application/json", **headers
    )
    assert post.status_code == 403


def test_code_needs_the_verifier(client, app, member):
    _verifier, challenge = pkce_pair()
    code = sign_in_and_consent(client, app, member, challenge)
    token = type(client)().post(
        "/api/oauth/token/", code_request(app, code, verifier="x" * 50)
    )
    assert token.status_code == 400
    assert "access_token" not in token.json()


def test_authorization_without_pkce_is_refused(client, app, member):
    client.force_login(member)
    params = authorize_params(app, "unused")
    del params["code_challenge"], params["code_challenge_method"]
    response = client.get("/api/oauth/authorize/", params)
    location = response.get("Location", "")
    assert "code=" not in location
