from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "community.events"
    label = "community_events"
    verbose_name = _("Community events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's idiom: what needs the models is imported once apps are ready.
        from community import privacy
        from community.events import (
            checks,  # noqa: F401 (registers the checks)
            signals,
        )
        from community.events.privacy import EventsData

        privacy.privacy_registry.register("events", EventsData())
        signals.connect()
