"""Icons of the social login providers, for their sign-in buttons."""

from functools import cache

from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

from sharing.registry import registry


def platform_for(provider_id):
    """The sharing platform that signs in with allauth's `provider_id` (its
    `login_provider`, else its own id), or None."""
    platforms = registry.all()
    for platform in platforms:
        if platform.login_provider == provider_id:
            return platform
    return next((p for p in platforms if p.id == provider_id), None)


@cache
def _read(path):
    found = finders.find(path)
    if not found:
        return ""
    with open(found, encoding="utf-8") as handle:
        return handle.read().strip()


def provider_icon_path(provider_id):
    """The static path of the provider's icon file, or None."""
    platform = platform_for(provider_id)
    if platform and _read(platform.icon_path):
        return platform.icon_path
    if provider_id and provider_id.replace("_", "").isalnum():
        path = f"community/providers/{provider_id}.svg"
        if _read(path):
            return path
    return None


def provider_icon(provider_id):
    """Inline SVG for the provider: the platform's icon, else community's own
    (static/community/providers/<id>.svg), else "" (the button then shows the
    initial of the provider's name)."""
    platform = platform_for(provider_id)
    svg = platform.icon_svg if platform else ""
    if not svg and provider_id and provider_id.replace("_", "").isalnum():
        svg = _read(f"community/providers/{provider_id}.svg")
    return mark_safe(svg)  # noqa: S308 (files of the apps' own)
