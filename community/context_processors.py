"""Template context of the community app."""

from community import app_settings


def community(request):
    """`community_base_template`: the base template the account pages extend
    (COMMUNITY_BASE_TEMPLATE)."""
    return {"community_base_template": app_settings.BASE_TEMPLATE}
