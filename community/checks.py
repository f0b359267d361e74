"""System checks that explain a misconfiguration, with the fix in the message."""

from django.core.checks import Error, Tags, register


@register(Tags.compatibility)
def check_account_settings(app_configs, **kwargs):
    from . import app_settings
    from .privacy import DELETE_MODES

    errors = []
    if app_settings.DELETED_ACCOUNT_CONTENT not in DELETE_MODES:
        errors.append(
            Error(
                "COMMUNITY_DELETED_ACCOUNT_CONTENT must be one of "
                f"{', '.join(DELETE_MODES)}, not "
                f"{app_settings.DELETED_ACCOUNT_CONTENT!r}.",
                id="community.E101",
            )
        )
    return errors
