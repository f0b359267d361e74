"""System checks of the posts app."""

from django.core import checks

from community.checks import check_rates, require_apps
from community.posts import app_settings

NEEDED = [
    ("community", "posts are written by community members"),
    ("community.comments", "members comment on posts"),
    ("wagtail.contrib.routable_page", "a board routes to its posts"),
    ("taggit", "posts are tagged"),
]


@checks.register(checks.Tags.compatibility)
def check_posts(app_configs, **kwargs):
    errors = require_apps(NEEDED, "community.posts", "community_posts.E001")
    errors += check_rates(
        app_settings.RATE_LIMITS, "COMMUNITY_POSTS_RATE_LIMITS", "community_posts.E002"
    )
    return errors
