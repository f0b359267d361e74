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
    return errors
