"""System checks of the insights app."""

import re

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from community.checks import check_rates, require_apps
from community.insights import app_settings
from community.insights.sources.registry import registry

NEEDED = [
    ("community", "insights count members and their sign-ins"),
    ("community.comments", "insights count and listen to comments"),
    ("community.posts", "insights count and listen to posts"),
    ("wagtail.contrib.settings", "reports live in Wagtail's admin"),
]


@checks.register(checks.Tags.compatibility)
def check_insights(app_configs, **kwargs):
    return require_apps(NEEDED, "community.insights", "community_insights.E001")


@checks.register()
def check_listening_sources(app_configs, **kwargs):
    """The connectors of COMMUNITY_INSIGHTS_CONNECTORS load and have slug ids;
    the webhook's rate limits read."""
    try:
        connectors = registry.all()
    except ImproperlyConfigured as error:
        return [
            checks.Error(
                str(error),
                hint="Each entry of COMMUNITY_INSIGHTS_CONNECTORS is the dotted path "
                "of a community.insights.sources.base.Connector subclass.",
                id="community_insights.E002",
            )
        ]
    errors = [
        checks.Error(
            f"Listening connector id {connector.id!r} is not a lowercase slug.",
            hint="Ids are stored on sources: lowercase letters, digits, - and _.",
            id="community_insights.E003",
        )
        for connector in connectors
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", connector.id)
    ]
    errors += check_rates(
        app_settings.RATE_LIMITS,
        "COMMUNITY_INSIGHTS_RATE_LIMITS",
        "community_insights.E004",
    )
    return errors
