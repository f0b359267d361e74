"""The OpenAPI description of the API's credentials (drf-spectacular
extensions: found by subclassing, so importing this module registers them)."""

from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from community.api.access import API_KEY_HEADER, SCOPES


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "community.api.access.TokenAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": "A member's token: authorization code with PKCE "
            "(docs/api.md).",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": reverse(
                        "community_api:oauth2_provider:authorize"
                    ),
                    "tokenUrl": reverse("community_api:oauth2_provider:token"),
                    "scopes": {scope: str(text) for scope, text in SCOPES.items()},
                }
            },
        }


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "community.api.access.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": API_KEY_HEADER,
            "description": "An app's read-only key (Community → API keys).",
        }
