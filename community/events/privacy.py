"""What the events app holds about a member, for "Download my data" and
"Delete my account" (registered in the app's `ready()`)."""

from django.db import transaction

from community.events import services
from community.events.models import Registration
from community.privacy import Section, iso


class EventsData(Section):
    """The member's registrations for events, with their answers."""

    def export(self, user):
        return [
            {
                "event": registration.event.title,
                "status": registration.status,
                "answers": registration.answers,
                "registered_at": iso(registration.created_at),
                "checked_in_at": iso(registration.checked_in_at),
            }
            for registration in Registration.objects.filter(user=user).select_related(
                "event"
            )
        ]

    def erase(self, user, mode):
        # A registration is the member's alone: it goes in either mode, and
        # the place it held goes to the waitlist.
        for registration in Registration.objects.filter(user=user).select_related(
            "event"
        ):
            with transaction.atomic():
                event = services.lock_event(registration.event)
                Registration.objects.filter(pk=registration.pk).delete()
                services.promote_waitlist(event)
