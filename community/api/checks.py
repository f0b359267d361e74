"""System checks of the API app."""

from django.conf import settings
from django.core import checks

from community.api import app_settings
from community.api.access import SCOPES
from community.checks import check_rates, require_apps

NEEDED = [
    ("community", "the API reads and writes the community"),
    ("rest_framework", "the API is built on Django REST framework"),
    ("drf_spectacular", "it describes the API (OpenAPI schema)"),
    ("drf_spectacular_sidecar", "it serves the docs page's files from the site"),
    ("oauth2_provider", "apps sign members in with OAuth 2 (django-oauth-toolkit)"),
]


@checks.register(checks.Tags.compatibility)
def check_api(app_configs, **kwargs):
    errors = require_apps(NEEDED, "community.api", "community_api.E001")
    errors += check_rates(
        app_settings.RATE_LIMITS, "COMMUNITY_API_RATE_LIMITS", "community_api.E002"
    )
    schema_class = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_SCHEMA_CLASS")
    if schema_class != "drf_spectacular.openapi.AutoSchema":
        errors.append(
            checks.Error(
                "The API's OpenAPI schema needs drf-spectacular's AutoSchema.",
                hint='Set REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": '
                '"drf_spectacular.openapi.AutoSchema"}.',
                id="community_api.E003",
            )
        )
    configured = set(getattr(settings, "OAUTH2_PROVIDER", {}).get("SCOPES", {}))
    missing = sorted(set(SCOPES) - configured)
    if missing:
        errors.append(
            checks.Warning(
                f"OAUTH2_PROVIDER['SCOPES'] lacks the API's scopes {missing}: "
                "apps cannot ask for them.",
                hint="Copy the scopes of docs/api.md into OAUTH2_PROVIDER.",
                id="community_api.W001",
            )
        )
    if not getattr(settings, "OAUTH2_PROVIDER", {}).get("PKCE_REQUIRED", True):
        errors.append(
            checks.Warning(
                "OAUTH2_PROVIDER['PKCE_REQUIRED'] is off: apps on phones cannot "
                "keep a client secret, so their codes must be bound with PKCE.",
                id="community_api.W002",
            )
        )
    return errors
