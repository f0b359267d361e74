"""System checks of the insights app."""

from django.core import checks

from community.checks import require_apps

NEEDED = [
    ("community", "insights count members and their sign-ins"),
    ("community.comments", "insights count and listen to comments"),
    ("community.posts", "insights count and listen to posts"),
    ("wagtail.contrib.settings", "reports live in Wagtail's admin"),
]


@checks.register(checks.Tags.compatibility)
def check_insights(app_configs, **kwargs):
    return require_apps(NEEDED, "community.insights", "community_insights.E001")
