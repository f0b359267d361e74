"""Every change to registrations: register, cancel (promoting the waitlist),
invitations and check-in. Each runs in one transaction that locks the event's
row first, so two requests never both take the last place; e-mails leave
after the commit (django-tasks)."""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from community.adapter import get_adapter
from community.events import tasks, tickets
from community.events.models import (
    EventPage,
    Invitation,
    Registration,
    new_ticket_nonce,
)
from sharing import pagecache

Status = Registration.Status

#: How long the outcome of a scan is kept by its scan id (a retried request
#: of a flaky connection gets the same answer).
SCAN_MEMORY = 24 * 3600


class RegistrationError(Exception):
    """A refused registration, cancellation or invitation; str() is the
    message for the member, in the active language."""


def registrations_tag(event_id):
    """The page-cache tag of what shows an event's registrations (places left)."""
    return f"community_events.registrations:{event_id}"


def registration_denied(event, user, *, invited=False, request=None, now=None):
    """None when `user` may register for `event` now, else why not."""
    state = event.registration_state(now)
    if state == "cancelled":
        return _("This event is cancelled.")
    if state == "not_open":
        return _("Registration opens on %(date)s.") % {
            "date": formats.date_format(
                timezone.localtime(event.registration_opens_at, event.tz),
                "DATETIME_FORMAT",
            )
        }
    if state == "closed":
        return _("Registration for this event is closed.")
    denied = get_adapter(request).participation_denied(
        user,
        require_verified_email=event.who_may_register == EventPage.Registrants.VERIFIED,
    )
    if denied:
        return denied
    if event.who_may_register == EventPage.Registrants.INVITED and not invited:
        return _("This event is by invitation only.")
    return None


def lock_event(event):
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


def register(event, user, *, answers=None, invitation=None, request=None):
    """Register `user` for `event`: a place while there is one (or with an
    invitation), else the waitlist. Returns the registration; raises
    RegistrationError with the reason when refused (nothing is written)."""
    denied = registration_denied(
        event, user, invited=invitation is not None, request=request
    )
    if denied:
        raise RegistrationError(denied)
    with transaction.atomic():
        event = lock_event(event)
        if invitation is not None:
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if invitation.event_id != event.pk:
                raise RegistrationError(_("This invitation is for another event."))
            if invitation.used_by_id not in (None, user.pk):
                raise RegistrationError(_("This invitation has already been used."))
        existing = (
            Registration.objects.select_for_update()
            .filter(event=event, user=user)
            .first()
        )
        if existing is not None and existing.status != Status.CANCELLED:
            if existing.status == Status.WAITLISTED and invitation is not None:
                existing.status, existing.invited = Status.REGISTERED, True
                existing.save(update_fields=["status", "invited"])
                _use(invitation, user)
                _after(event, existing, "confirmation")
                return existing
            if existing.status == Status.WAITLISTED:
                raise RegistrationError(_("You are already on the waitlist."))
            raise RegistrationError(_("You are already registered for this event."))
        # Places freed since (a raised capacity whose promotion has not run
        # yet) go to the waitlist first: nobody jumps the queue.
        promote_waitlist(event)
        taken = Registration.objects.filter(
            event=event, status=Status.REGISTERED
        ).count()
        has_place = event.capacity is None or taken < event.capacity
        now = timezone.now()
        registration = existing or Registration(event=event, user=user)
        registration.status = (
            Status.REGISTERED
            if has_place or invitation is not None
            else Status.WAITLISTED
        )
        registration.answers = answers or {}
        registration.invited = invitation is not None
        registration.language = translation.get_language() or ""
        registration.ticket_nonce = new_ticket_nonce()
        registration.created_at = registration.queued_at = now
        registration.cancelled_at = registration.checked_in_at = None
        registration.checked_in_by = None
        registration.reminded_day_at = registration.reminded_hour_at = None
        registration.save()
        if invitation is not None:
            _use(invitation, user)
        _after(
            event,
            registration,
            "confirmation"
            if registration.status == Status.REGISTERED
            else "waitlisted",
        )
    return registration


def _use(invitation, user):
    invitation.used_by, invitation.used_at = user, timezone.now()
    invitation.save(update_fields=["used_by", "used_at"])


def _after(event, registration, message):
    pagecache.invalidate(registrations_tag(event.pk))
    transaction.on_commit(
        lambda: tasks.send_registration_email.enqueue(registration.pk, message)
    )


def cancel(event, user):
    """Cancel `user`'s registration (or waitlist place) for `event`; a freed
    place goes to the first on the waitlist, who is told by e-mail."""
    with transaction.atomic():
        event = lock_event(event)
        registration = (
            Registration.objects.select_for_update()
            .filter(event=event, user=user)
            .exclude(status=Status.CANCELLED)
            .first()
        )
        if registration is None:
            raise RegistrationError(_("You are not registered for this event."))
        if event.start_at <= timezone.now():
            raise RegistrationError(
                _("The event has started: it can no longer be cancelled.")
            )
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        pagecache.invalidate(registrations_tag(event.pk))
        promote_waitlist(event)
    return registration


def promote_waitlist(event):
    """Give the free places of `event` (locked by the caller) to the first on
    its waitlist; each is e-mailed. Returns the promoted registrations."""
    waitlist = Registration.objects.filter(event=event, status=Status.WAITLISTED)
    if event.capacity is None:
        promoted = list(waitlist.select_for_update())
    else:
        taken = Registration.objects.filter(
            event=event, status=Status.REGISTERED
        ).count()
        free = max(event.capacity - taken, 0)
        promoted = list(waitlist.select_for_update().order_by("queued_at", "pk")[:free])
    for registration in promoted:
        registration.status = Status.REGISTERED
        registration.save(update_fields=["status"])
        _after(event, registration, "promoted")
    return promoted


def fill_places(event):
    """Give the places an editor's change freed (a raised capacity, or no
    limit any more) to the first on the waitlist, in its order, as a
    cancellation does: under the event's row lock, so a registration at the
    same moment never takes a place twice. Nothing moves once the event has
    started or when it is cancelled. Returns the promoted registrations."""
    with transaction.atomic():
        event = lock_event(event)
        if event.cancelled or event.start_at <= timezone.now():
            return []
        return promote_waitlist(event)


def use_invitation_token(token):
    """The Invitation of `token`, or RegistrationError."""
    try:
        invitation_id = tickets.read_invitation(token)
    except tickets.BadToken as error:
        raise RegistrationError(_("This invitation link is not valid.")) from error
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        raise RegistrationError(_("This invitation link is not valid."))
    return invitation


# Check-in at the door.


class CheckIn:
    """The outcome of a scan: `ok` (let them in), `state` ("checked_in",
    "already", "refused"), `message` for the staff member, and the member's
    name when the ticket is genuine."""

    def __init__(self, state, message, registration=None, name=""):
        self.state, self.message, self.registration = state, str(message), registration
        self.name = name or (str(registration.author_name()) if registration else "")

    @property
    def ok(self):
        return self.state in ("checked_in", "already")

    def as_dict(self):
        return {
            "ok": self.ok,
            "state": self.state,
            "message": self.message,
            "name": self.name,
        }


def check_in_token(event, token, staff, *, scan_id=None):
    """Check in the holder of ticket `token` at `event`. A scan id (made by the
    scanning page) returns the first outcome again when the same scan is
    sent twice; a second scan of the same ticket says since when they are in."""
    key = f"community_events:scan:{staff.pk}:{event.pk}:{scan_id}" if scan_id else None
    known = cache.get(key) if key else None
    if known is not None:
        return CheckIn(**known)
    outcome = _check_in_token(event, token, staff)
    if key is not None:
        cache.set(
            key,
            {"state": outcome.state, "message": outcome.message, "name": outcome.name},
            SCAN_MEMORY,
        )
    return outcome


def _check_in_token(event, token, staff):
    try:
        registration_id, nonce = tickets.read_ticket(token)
    except tickets.BadToken:
        return CheckIn("refused", _("This is not a ticket of this site."))
    registration = (
        Registration.objects.select_related("user", "event")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.ticket_nonce != nonce:
        return CheckIn(
            "refused",
            _("This ticket is no longer valid: it was cancelled or replaced."),
        )
    if registration.event_id != event.pk:
        return CheckIn(
            "refused",
            _("This ticket is for another event: %(event)s.")
            % {"event": registration.event.title},
        )
    return check_in(registration, staff)


def check_in(registration, staff):
    """Mark `registration` present (once: the first check-in's time stays)."""
    event = registration.event
    if registration.status == Status.CANCELLED:
        return CheckIn("refused", _("This registration was cancelled."), registration)
    if registration.status == Status.WAITLISTED:
        return CheckIn(
            "refused",
            _("This member is on the waitlist and has no place."),
            registration,
        )
    now = timezone.now()
    updated = Registration.objects.filter(
        pk=registration.pk, checked_in_at__isnull=True, status=Status.REGISTERED
    ).update(checked_in_at=now, checked_in_by=staff)
    registration.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
    if updated:
        return CheckIn("checked_in", _("Checked in. Welcome!"), registration)
    at = timezone.localtime(registration.checked_in_at, event.tz)
    return CheckIn(
        "already",
        _("Already checked in at %(time)s.") % {"time": formats.time_format(at, "H:i")},
        registration,
    )


def attendance(event):
    """{registered, waitlisted, cancelled, present, no_show_rate}: the numbers
    of an event's attendance report (the no-show rate once it has started)."""
    rows = Registration.objects.filter(event=event)
    counts = dict.fromkeys(Status.values, 0)
    for row in rows.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    present = rows.filter(status=Status.REGISTERED, checked_in_at__isnull=False).count()
    registered = counts[Status.REGISTERED]
    rate = None
    if registered and event.start_at <= timezone.now():
        rate = round(100 * (registered - present) / registered, 1)
    return {
        "registered": registered,
        "waitlisted": counts[Status.WAITLISTED],
        "cancelled": counts[Status.CANCELLED],
        "present": present,
        "no_show_rate": rate,
    }
