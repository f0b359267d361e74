"""System checks that explain a misconfiguration, with the fix in the message.

`require_apps()` is shared by the community apps: each says which apps it
builds on, and why."""

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from community import app_settings, ratelimit
from community.privacy import DELETE_MODES

REQUIRED_APPS = [
    ("django.contrib.sites", "allauth and comments record which site they belong to"),
    ("allauth", "visitors sign in with django-allauth"),
    ("allauth.account", "visitors sign in with django-allauth"),
    ("allauth.socialaccount", "visitors sign in with social accounts"),
    ("taggit", "members' interests are tags"),
    ("wagtail.contrib.settings", "the brand and moderation settings are site settings"),
]
ACCOUNT_MIDDLEWARE = "allauth.account.middleware.AccountMiddleware"
CONTEXT_PROCESSOR = "community.context_processors.community"


def require_apps(needed, who, check_id):
    """Errors for the apps of `needed` ([(app, why)]) missing from
    INSTALLED_APPS; `who` names the app that needs them."""
    return [
        checks.Error(
            f"{who} needs {app!r} in INSTALLED_APPS: {why}.",
            hint=f'Add "{app}" to INSTALLED_APPS (see docs/installation.md).',
            id=check_id,
        )
        for app, why in needed
        if not apps.is_installed(app)
    ]


def check_rates(rates, setting, check_id):
    """Errors for the unreadable specs of a RATE_LIMITS setting."""
    errors = []
    for action, spec in rates.items():
        try:
            ratelimit.parse(spec)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(f"{setting}[{action!r}]: {error}", id=check_id))
    return errors


@checks.register(checks.Tags.compatibility)
def check_installation(app_configs, **kwargs):
    """The apps and middleware the community app builds on."""
    errors = require_apps(REQUIRED_APPS, "The community app", "community.E001")
    if ACCOUNT_MIDDLEWARE not in settings.MIDDLEWARE:
        errors.append(
            checks.Error(
                "allauth's AccountMiddleware is missing from MIDDLEWARE.",
                hint=f'Add "{ACCOUNT_MIDDLEWARE}" to MIDDLEWARE, after '
                "AuthenticationMiddleware.",
                id="community.E002",
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
    return errors + check_templates()


def check_templates():
    """The account pages' templates: community's override allauth's only when
    it comes first, and COMMUNITY_BASE_TEMPLATE needs the context processor."""
    errors = []
    installed = list(settings.INSTALLED_APPS)
    if "allauth" in installed and "community" in installed:
        if installed.index("community") > installed.index("allauth"):
            errors.append(
                checks.Warning(
                    '"community" comes after "allauth" in INSTALLED_APPS: '
                    "the sign-in and account pages are allauth's unstyled ones.",
                    hint='Move "community" above "allauth" in INSTALLED_APPS.',
                    id="community.W002",
                )
            )
    processors = [
        processor
        for engine in settings.TEMPLATES
        for processor in engine.get("OPTIONS", {}).get("context_processors", [])
    ]
    if (
        app_settings.BASE_TEMPLATE != "base.html"
        and CONTEXT_PROCESSOR not in processors
    ):
        errors.append(
            checks.Warning(
                "COMMUNITY_BASE_TEMPLATE is set, but the account pages cannot "
                'read it: they extend "base.html".',
                hint=f'Add "{CONTEXT_PROCESSOR}" to the context processors of '
                "TEMPLATES.",
                id="community.W003",
            )
        )
    return errors


@checks.register(checks.Tags.compatibility)
def check_account_settings(app_configs, **kwargs):
    errors = check_rates(
        app_settings.RATE_LIMITS, "COMMUNITY_RATE_LIMITS", "community.E102"
    )
    if app_settings.DELETED_ACCOUNT_CONTENT not in DELETE_MODES:
        errors.append(
            checks.Error(
                "COMMUNITY_DELETED_ACCOUNT_CONTENT must be one of "
                f"{', '.join(DELETE_MODES)}, not "
                f"{app_settings.DELETED_ACCOUNT_CONTENT!r}.",
                id="community.E101",
            )
        )
    return errors
