"""System checks of the campaigns app."""

from django.conf import settings
from django.core import checks

from community.campaigns import app_settings
from community.checks import check_rates, require_apps

NEEDED = [
    ("community", "campaigns are run for community members"),
    ("community.comments", "each campaign has its discussion"),
    ("community.posts", "contest entries are community posts"),
    ("wagtail.contrib.routable_page", "a campaign routes to its entries"),
]

MIDDLEWARE = "community.campaigns.referrals.ReferralMiddleware"


@checks.register(checks.Tags.compatibility)
def check_campaigns(app_configs, **kwargs):
    errors = require_apps(NEEDED, "community.campaigns", "community_campaigns.E001")
    errors += check_rates(
        app_settings.RATE_LIMITS,
        "COMMUNITY_CAMPAIGNS_RATE_LIMITS",
        "community_campaigns.E002",
    )
    for name in ("VOTER_MIN_AGE_HOURS", "FRAUD_THRESHOLD", "FRAUD_BURST_MINUTES"):
        value = getattr(app_settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors.append(
                checks.Error(
                    f"COMMUNITY_CAMPAIGNS_{name} must be a whole number ≥ 0.",
                    id="community_campaigns.E003",
                )
            )
    if MIDDLEWARE not in settings.MIDDLEWARE:
        errors.append(
            checks.Warning(
                "Personal share links are not recorded.",
                hint=f"Add {MIDDLEWARE!r} to MIDDLEWARE (before the page cache's).",
                id="community_campaigns.W001",
            )
        )
    return errors
