"""System checks that explain a misconfiguration, with the fix in the message."""

import re

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@checks.register()
def check_platforms(app_configs, **kwargs):
    from . import app_settings
    from .registry import registry

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
    for platform_id in app_settings.DEFAULT_SHARE_PLATFORMS:
        if platform_id not in ids:
            errors.append(
                checks.Warning(
                    f"SHARING_DEFAULT_SHARE_PLATFORMS names {platform_id!r}, "
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
