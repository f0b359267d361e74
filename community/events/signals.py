"""The events app's signal handlers, connected in `AppConfig.ready()`: when
an editor publishes an event whose capacity was raised, the waitlist moves up
(`services.fill_places`)."""

from wagtail.signals import page_published

from community.events import services
from community.events.models import EventPage


def on_event_published(sender, instance, **kwargs):
    services.fill_places(instance)


def connect():
    page_published.connect(
        on_event_published, sender=EventPage, dispatch_uid="community_events"
    )
