"""System checks of the events app."""

from django.core import checks

from community.checks import check_rates, require_apps
from community.events import app_settings

NEEDED = [
    ("community", "members register for events"),
    ("wagtail.contrib.routable_page", "an event page routes to its registration"),
    ("sharing", "event pages have link previews and share buttons"),
]


@checks.register(checks.Tags.compatibility)
def check_events(app_configs, **kwargs):
    errors = require_apps(NEEDED, "community.events", "community_events.E001")
    errors += check_rates(
        app_settings.RATE_LIMITS,
        "COMMUNITY_EVENTS_RATE_LIMITS",
        "community_events.E002",
    )
    unknown = set(app_settings.REMINDERS) - {"day", "hour"}
    if unknown:
        errors.append(
            checks.Error(
                f"COMMUNITY_EVENTS_REMINDERS names {sorted(unknown)}: only "
                '"day" and "hour" are known.',
                id="community_events.E003",
            )
        )
    within = app_settings.SURVEY_WITHIN
    if isinstance(within, bool) or not isinstance(within, int) or within <= 0:
        errors.append(
            checks.Error(
                "COMMUNITY_EVENTS_SURVEY_WITHIN must be a number of seconds "
                f"above 0, not {within!r}.",
                id="community_events.E004",
            )
        )
    return errors
