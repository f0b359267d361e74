"""The registry of listening connectors, built lazily from
COMMUNITY_INSIGHTS_CONNECTORS (like the sharing platforms): loaded on first
use and rebuilt when the setting changes, so `override_settings` works."""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from community.insights import app_settings

from .base import Connector


class ConnectorRegistry:
    def __init__(self):
        self._loaded_from = None
        self._connectors = {}

    def _load(self):
        paths = tuple(app_settings.CONNECTORS)
        if paths != self._loaded_from:
            connectors = {}
            for path in paths:
                connector = self.load_connector(path)
                connectors[connector.id] = connector
            self._connectors = connectors
            self._loaded_from = paths
        return self._connectors

    @staticmethod
    def load_connector(path):
        try:
            cls = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(
                f"COMMUNITY_INSIGHTS_CONNECTORS: cannot import {path!r}: {error}"
            ) from error
        if not (isinstance(cls, type) and issubclass(cls, Connector)) or not cls.id:
            raise ImproperlyConfigured(
                f"COMMUNITY_INSIGHTS_CONNECTORS: {path!r} is not a Connector "
                "subclass with an id"
            )
        return cls()

    def all(self):
        return list(self._load().values())

    def get(self, connector_id):
        return self._load().get(connector_id)

    def __contains__(self, connector_id):
        return connector_id in self._load()

    def choices(self):
        return [(connector.id, connector.name) for connector in self.all()]


registry = ConnectorRegistry()


def connector_choices():
    """Callable choices for the source form (no migration for a new one)."""
    return registry.choices()
