"""System checks that explain a misconfiguration, with the fix in the message."""

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


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


@checks.register()
def check_comments_settings(app_configs, **kwargs):
    """Comments need comments-xtd set up with the community's model and form,
    and readable rate limits."""
    from community import app_settings
    from community.ratelimit import parse_rate

    errors = []
    if not apps.is_installed("django_comments_xtd"):
        return errors
    expected = {
        "COMMENTS_APP": "django_comments_xtd",
        "COMMENTS_XTD_MODEL": "community.models.comments.Comment",
        "COMMENTS_XTD_FORM_CLASS": "community.comments_forms.CommentForm",
    }
    for name, value in expected.items():
        if getattr(settings, name, None) != value:
            errors.append(
                checks.Error(
                    f"{name} must be {value!r} for community comments.",
                    hint=f"Set {name} = {value!r} in your settings.",
                    id="community.E201",
                )
            )
    for name, rate in app_settings.COMMENTS_RATE_LIMITS.items():
        try:
            if rate:
                parse_rate(rate)
        except ImproperlyConfigured as error:
            errors.append(
                checks.Error(
                    f"COMMUNITY_COMMENTS_RATE_LIMITS[{name!r}]: {error}",
                    id="community.E202",
                )
            )
    return errors


REQUIRED_APPS = [
    ("django.contrib.sites", "allauth and comments record which site they belong to"),
    ("allauth", "visitors sign in with django-allauth"),
    ("allauth.account", "visitors sign in with django-allauth"),
    ("allauth.socialaccount", "visitors sign in with social accounts"),
    ("wagtail.contrib.settings", "the brand and moderation settings are site settings"),
]
ACCOUNT_MIDDLEWARE = "allauth.account.middleware.AccountMiddleware"


@register(Tags.compatibility)
def check_installation(app_configs, **kwargs):
    """The apps and middleware the community app builds on."""
    errors = []
    for app, why in REQUIRED_APPS:
        if not apps.is_installed(app):
            errors.append(
                Error(
                    f"The community app needs {app!r} in INSTALLED_APPS: {why}.",
                    hint=f'Add "{app}" to INSTALLED_APPS (see docs/installation.md).',
                    id="community.E001",
                )
            )
    if ACCOUNT_MIDDLEWARE not in settings.MIDDLEWARE:
        errors.append(
            Error(
                "allauth's AccountMiddleware is missing from MIDDLEWARE.",
                hint=f'Add "{ACCOUNT_MIDDLEWARE}" to MIDDLEWARE, after '
                "AuthenticationMiddleware.",
                id="community.E002",
            )
        )
    if apps.is_installed("django_comments_xtd") and not apps.is_installed(
        "django_comments"
    ):
        errors.append(
            Error(
                "django-comments-xtd needs 'django_comments' in INSTALLED_APPS.",
                hint='Add "django_comments" after "django_comments_xtd".',
                id="community.E003",
            )
        )
    if getattr(settings, "ACCOUNT_EMAIL_VERIFICATION", None) != "mandatory":
        errors.append(
            checks.Warning(
                "ACCOUNT_EMAIL_VERIFICATION is not 'mandatory': members could "
                "take part before they confirm their e-mail address.",
                hint='Set ACCOUNT_EMAIL_VERIFICATION = "mandatory".',
                id="community.W001",
            )
        )
    return errors
