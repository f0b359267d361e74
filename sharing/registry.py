"""The registry of platforms, built lazily from SHARING_PLATFORMS.

Like allauth's provider registry: a plain object, loaded on first use (never as
an import side effect) and rebuilt when the setting changes (so
`override_settings` works in tests)."""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from . import app_settings
from .platforms.base import Platform


class PlatformRegistry:
    def __init__(self):
        self._loaded_from = None
        self._platforms = {}

    def _load(self):
        paths = tuple(app_settings.PLATFORMS)
        if paths != self._loaded_from:
            platforms = {}
            for path in paths:
                platform = self.load_platform(path)
                # A later entry with the same id replaces an earlier one.
                platforms[platform.id] = platform
            self._platforms = platforms
            self._loaded_from = paths
        return self._platforms

    @staticmethod
    def load_platform(path):
        try:
            cls = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(
                f"SHARING_PLATFORMS: cannot import {path!r}: {error}"
            ) from error
        if not (isinstance(cls, type) and issubclass(cls, Platform)) or not cls.id:
            raise ImproperlyConfigured(
                f"SHARING_PLATFORMS: {path!r} is not a Platform subclass with an id"
            )
        return cls()

    def all(self):
        return list(self._load().values())

    def get(self, platform_id):
        return self._load().get(platform_id)

    def __contains__(self, platform_id):
        return platform_id in self._load()

    def share_platforms(self):
        return [platform for platform in self.all() if platform.can_share]

    def follow_platforms(self):
        return [platform for platform in self.all() if platform.can_follow]

    def share_choices(self):
        return [(platform.id, platform.name) for platform in self.share_platforms()]

    def follow_choices(self):
        return [(platform.id, platform.name) for platform in self.follow_platforms()]

    def publish_platforms(self):
        return [platform for platform in self.all() if platform.can_publish]

    def account_choices(self):
        """Platforms a company can have an account on: to follow, to publish
        to, or both."""
        return [
            (platform.id, platform.name)
            for platform in self.all()
            if platform.can_follow or platform.can_publish
        ]

    def choices(self):
        return [(platform.id, platform.name) for platform in self.all()]


registry = PlatformRegistry()


def share_choices():
    """Callable choices for forms and blocks (no migration when platforms change)."""
    return registry.share_choices()


def follow_choices():
    return registry.follow_choices()


def account_choices():
    return registry.account_choices()
