"""System checks that explain a misconfiguration, with the fix in the message."""

import re

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from wagtail.models import get_page_models

from . import app_settings
from .models import ShareablePageMixin
from .registry import registry


@checks.register()
def check_platforms(app_configs, **kwargs):
    errors = []
    try:
        platforms = registry.all()
    except ImproperlyConfigured as error:
        return [
            checks.Error(
                str(error),
                hint="Each entry of SHARING_PLATFORMS is the dotted path of a "
                "sharing.platforms.base.Platform subclass.",
                id="sharing.E001",
            )
        ]
    ids = {platform.id for platform in platforms}
    for platform in platforms:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", platform.id):
            errors.append(
                checks.Error(
                    f"Platform id {platform.id!r} is not a lowercase slug.",
                    hint="Use lowercase letters, digits, '-' and '_' only.",
                    id="sharing.E002",
                )
            )
    defaults = [
        ("SHARING_DEFAULT_SHARE_PLATFORMS", app_settings.DEFAULT_SHARE_PLATFORMS)
    ]
    by_language = app_settings.LANGUAGE_SHARE_PLATFORMS
    if isinstance(by_language, dict):
        defaults += [
            (f"SHARING_LANGUAGE_SHARE_PLATFORMS[{code!r}]", platform_ids)
            for code, platform_ids in by_language.items()
        ]
    else:
        errors.append(
            checks.Error(
                "SHARING_LANGUAGE_SHARE_PLATFORMS must be a dict.",
                hint='For example {"zh-hans": ["wechat", "weibo"], "en": ["x"]}.',
                id="sharing.E005",
            )
        )
    for name, platform_ids in defaults:
        for platform_id in platform_ids:
            if platform_id not in ids:
                errors.append(
                    checks.Warning(
                        f"{name} names {platform_id!r}, "
                        "which is not a registered platform.",
                        hint="Remove it or add its class to SHARING_PLATFORMS.",
                        id="sharing.W001",
                    )
                )
    for kind, path in app_settings.SHAREABLES.items():
        try:
            import_string(path)
        except ImportError:
            errors.append(
                checks.Error(
                    f"SHARING_SHAREABLES[{kind!r}]: cannot import {path!r}.",
                    id="sharing.E003",
                )
            )
    try:
        re.compile(app_settings.BOT_USER_AGENTS)
    except re.error as error:
        errors.append(
            checks.Error(
                f"SHARING_BOT_USER_AGENTS is not a valid regular expression: {error}",
                id="sharing.E004",
            )
        )
    return errors


@checks.register(checks.Tags.compatibility)
def check_installation(app_configs, **kwargs):
    """The sharing settings (platforms, own-media accounts, WeChat) are a
    Wagtail site setting."""
    from django.apps import apps

    if apps.is_installed("wagtail.contrib.settings"):
        return []
    return [
        checks.Error(
            "The sharing app needs 'wagtail.contrib.settings' in INSTALLED_APPS: "
            "its settings are per-site Wagtail settings.",
            hint='Add "wagtail.contrib.settings" to INSTALLED_APPS '
            "(see docs/installation.md).",
            id="sharing.E010",
        )
    ]


SHARING_FIELDS = (
    "share_title",
    "share_description",
    "share_image",
    "show_share_buttons",
)


@checks.register(checks.Tags.models)
def check_page_panels(app_configs, **kwargs):
    """A shareable page type whose editor shows none of the sharing fields
    (it set its own promote_panels without the mixin's)."""
    warnings = []
    for model in get_page_models():
        if not issubclass(model, ShareablePageMixin) or model._meta.abstract:
            continue
        fields = model.get_edit_handler().get_form_options().get("fields", [])
        missing = [name for name in SHARING_FIELDS if name not in fields]
        if missing:
            warnings.append(
                checks.Warning(
                    f"{model._meta.label}: editors cannot set "
                    f"{', '.join(missing)} (its panels leave them out).",
                    hint="Add ShareablePageMixin.sharing_panels to its "
                    "promote_panels, e.g. promote_panels = Page.promote_panels"
                    " + ShareablePageMixin.sharing_panels.",
                    obj=model,
                    id="sharing.W004",
                )
            )
    return warnings


REDIS_COUNTER_BACKEND = "sharing.counters.redis.RedisCounterBackend"


@checks.register()
def check_counters(app_configs, **kwargs):
    """The counter backend can be loaded, and the Redis one has a Redis cache."""
    errors = []
    path = app_settings.COUNTER_BACKEND
    try:
        import_string(path)
    except ImportError as error:
        errors.append(
            checks.Error(
                f"SHARING_COUNTER_BACKEND: cannot import {path!r} ({error}).",
                hint="Use sharing.counters.database.DatabaseCounterBackend, or "
                f"{REDIS_COUNTER_BACKEND} with django-redis installed.",
                id="sharing.E020",
            )
        )
    cache = settings.CACHES.get(app_settings.CACHE_ALIAS, {}).get("BACKEND", "")
    if path == REDIS_COUNTER_BACKEND and not cache.startswith("django_redis."):
        errors.append(
            checks.Error(
                "The Redis counter backend needs the SHARING_CACHE_ALIAS cache "
                f"({app_settings.CACHE_ALIAS!r}) to be django-redis.",
                hint="Set CACHES to django_redis.cache.RedisCache, or remove "
                "SHARING_COUNTER_BACKEND to count in the database.",
                id="sharing.E021",
            )
        )
    for name in ("COUNTER_FLUSH_INTERVAL", "SHARE_CACHE_TIMEOUT"):
        value = getattr(app_settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors.append(
                checks.Error(
                    f"SHARING_{name} must be a whole number of seconds, 1 or "
                    f"more (it is {value!r}).",
                    id="sharing.E022",
                )
            )
    return errors


@checks.register()
def check_publishing(app_configs, **kwargs):
    """The Fernet keys of the own-media accounts' secrets."""
    keys = app_settings.CREDENTIALS_KEYS
    if not isinstance(keys, list | tuple):
        return [
            checks.Error(
                "SHARING_CREDENTIALS_KEYS must be a list of Fernet keys.",
                hint="Newest first, e.g. [os.environ['SHARING_CREDENTIALS_KEY']].",
                id="sharing.E030",
            )
        ]
    errors = []
    for index, key in enumerate(keys):
        try:
            Fernet(key)
        except (TypeError, ValueError):
            errors.append(
                checks.Error(
                    f"SHARING_CREDENTIALS_KEYS[{index}] is not a Fernet key.",
                    hint='Make one with: python -c "from cryptography.fernet '
                    'import Fernet; print(Fernet.generate_key().decode())"',
                    id="sharing.E031",
                )
            )
    return errors
