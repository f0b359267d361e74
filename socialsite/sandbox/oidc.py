"""An OpenID Connect provider: discovery, authorize (with PKCE), token,
userinfo and the JWKS; ID tokens signed RS256 with a key made for this
process."""

import base64
import hashlib
import secrets
import time
from functools import cache

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import path, reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from jwt.algorithms import RSAAlgorithm

from . import grants
from .base import AuthorizeError, ImitationServer, authorize, json
from .identities import Identity

EMAIL_DOMAIN = "id.sandbox.example"


@cache
def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_id():
    numbers = signing_key().public_key().public_numbers()
    return hashlib.sha256(str(numbers.n).encode()).hexdigest()[:16]


def pkce_challenge(verifier):
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class OpenIDConnectServer(ImitationServer):
    id = "openid_connect"
    #: The Social application's provider_id: /accounts/oidc/openid/login/.
    provider_id = "openid"
    name = _("OpenID Connect")
    segment = "oidc"
    client_id = "sandbox-client"
    scopes = {"openid", "profile", "email"}
    shares = _("your name, e-mail address and profile picture")

    def social_app(self, request):
        app = super().social_app(request)
        app.provider_id = self.provider_id
        return app

    def app_settings(self, base_url):
        return {"server_url": base_url, "oauth_pkce_enabled": True}

    def callback_url(self, request):
        return request.build_absolute_uri(
            reverse("openid_connect_callback", kwargs={"provider_id": self.provider_id})
        )

    def check(self, request, query):
        super().check(request, query)
        if "openid" not in query.get("scope", "").split():
            raise AuthorizeError("invalid_scope", "the openid scope is required")
        method = query.get("code_challenge_method")
        if query.get("code_challenge") and method not in (None, "S256"):
            raise AuthorizeError("invalid_request", "code_challenge_method")

    def allowed(self, request, query, person):
        code = self.issue_code(
            query,
            person,
            scope=query["scope"],
            nonce=query.get("nonce"),
            challenge=query.get("code_challenge"),
        )
        return {"code": code, "state": query.get("state", "")}

    def subject(self, person):
        return person.hex_id("oidc-sub", length=24)

    def claims(self, person):
        return {
            "sub": self.subject(person),
            "name": person.nickname,
            "preferred_username": person.nickname,
            "email": person.email(EMAIL_DOMAIN),
            "email_verified": True,
        }

    def configuration(self, request):
        base = self.base_url(request)
        return json(
            {
                "issuer": base,
                "authorization_endpoint": base + "/authorize",
                "token_endpoint": base + "/token",
                "userinfo_endpoint": base + "/userinfo",
                "jwks_uri": base + "/jwks",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": sorted(self.scopes),
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                ],
                "claims_supported": [
                    "sub",
                    "iss",
                    "aud",
                    "exp",
                    "iat",
                    "nonce",
                    "name",
                    "preferred_username",
                    "email",
                    "email_verified",
                ],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    def jwks(self, request):
        public = RSAAlgorithm.to_jwk(signing_key().public_key(), as_dict=True)
        public.update(kid=key_id(), use="sig", alg="RS256")
        return json({"keys": [public]})

    def client_credentials(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(header[6:], validate=True).decode()
            except ValueError:
                return None, None
            client, _sep, secret = decoded.partition(":")
            return client, secret
        return request.POST.get("client_id"), request.POST.get("client_secret")

    def token(self, request):
        client, secret = self.client_credentials(request)
        if client != self.client_id or not constant_time_compare(
            secret or "", self.secret
        ):
            return json(
                {"error": "invalid_client"},
                status=401,
                WWW_Authenticate='Basic realm="sandbox"',
            )
        data = request.POST
        if data.get("grant_type") != "authorization_code":
            return json({"error": "unsupported_grant_type"}, status=400)
        grant = grants.redeem_code(self.id, data.get("code", ""))
        if (
            not grant
            or grant["client"] != self.client_id
            or grant["redirect_uri"] != data.get("redirect_uri")
        ):
            return json({"error": "invalid_grant"}, status=400)
        if grant.get("challenge") and not constant_time_compare(
            pkce_challenge(data.get("code_verifier", "")), grant["challenge"]
        ):
            return json(
                {"error": "invalid_grant", "error_description": "code_verifier"},
                status=400,
            )
        person = Identity(grant["nickname"])
        now = int(time.time())
        id_token = {
            "iss": self.base_url(request),
            "aud": self.client_id,
            "iat": now,
            "exp": now + 600,
            "auth_time": now,
            "jti": secrets.token_urlsafe(16),
            **self.claims(person),
        }
        if grant.get("nonce"):
            id_token["nonce"] = grant["nonce"]
        return json(
            {
                "access_token": grants.issue_token(
                    self.id, nickname=person.nickname, scope=grant["scope"]
                ),
                "token_type": "Bearer",
                "expires_in": grants.TOKEN_LIFETIME,
                "scope": grant["scope"],
                "id_token": jwt.encode(
                    id_token,
                    signing_key(),
                    algorithm="RS256",
                    headers={"kid": key_id()},
                ),
            },
            Pragma="no-cache",
        )

    def userinfo(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        token = header[7:] if header.lower().startswith("bearer ") else ""
        grant = grants.read_token(self.id, token) if token else None
        if not grant or "scope" not in grant:
            return json(
                {"error": "invalid_token"},
                status=401,
                WWW_Authenticate='Bearer error="invalid_token"',
            )
        claims = self.claims(Identity(grant["nickname"]))
        if "email" not in grant["scope"].split():
            del claims["email"], claims["email_verified"]
        return json(claims)

    def urlpatterns(self):
        return [
            path(".well-known/openid-configuration", self.configuration),
            path("authorize", authorize, {"server": self}),
            path("token", csrf_exempt(require_POST(self.token))),
            path("userinfo", self.userinfo),
            path("jwks", self.jwks),
        ]
