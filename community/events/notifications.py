"""E-mails to members about their registrations, in the member's language:
the confirmation with the ticket (QR code) and an .ics file, the waitlist
notice, the promotion from the waitlist, and the reminders."""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from wagtail.models import Locale

from community.events import app_settings, ical, tickets
from community.events.models import Registration
from community.sites import wagtail_site

WITH_TICKET = {"confirmation", "promoted", "reminder_day", "reminder_hour"}


def member_language(registration):
    profile = getattr(registration.user, "community_profile", None)
    for language in (registration.language, getattr(profile, "language", "")):
        if language and translation.check_for_language(language):
            return language
    return settings.LANGUAGE_CODE


def ticket_url(registration):
    return registration.event.get_full_url() + "#ticket"


def survey_url(event, language):
    """The full URL of the event's survey page in `language` (its translation
    when there is one), or "" when it has none or it is not live."""
    page = event.survey_page
    if page is None:
        return ""
    locale = Locale.objects.filter(language_code=language).first()
    translated = page.get_translation_or_none(locale) if locale else None
    if translated is not None and translated.live:
        page = translated
    return page.get_full_url() if page.live else ""


def build_email(registration, message):
    """The EmailMultiAlternatives of `message` about `registration`, in the
    member's language."""
    event = registration.event.specific
    site = wagtail_site(page=event)
    language = member_language(registration)
    with translation.override(language):
        start = timezone.localtime(event.start_at, event.tz)
        context = {
            "message": message,
            "registration": registration,
            "event": event,
            "name": registration.author_name(),
            "when": formats.date_format(start, "DATETIME_FORMAT"),
            "time_zone": event.time_zone,
            "event_url": event.get_full_url(),
            "site_name": site.site_name if site and site.site_name else "",
            "with_ticket": message in WITH_TICKET,
            "survey_url": survey_url(event, language) if message == "survey" else "",
        }
        subject = " ".join(
            render_to_string(
                "community_events/email/registration_subject.txt", context
            ).split()
        )
        text = render_to_string("community_events/email/registration.txt", context)
        html = render_to_string("community_events/email/registration.html", context)
    email = EmailMultiAlternatives(subject, text, to=[registration.user.email])
    email.attach_alternative(html, "text/html")
    if message in WITH_TICKET:
        email.attach("event.ics", ical.calendar([event]), "text/calendar")
        email.attach(
            "ticket.png",
            tickets.qr_png(tickets.ticket_token(registration)),
            "image/png",
        )
    return email


def send_registration_email(registration_id, message):
    registration = (
        Registration.objects.select_related("user", "event")
        .filter(pk=registration_id)
        .first()
    )
    if (
        registration is None
        or not registration.user.email
        or not registration.user.is_active
    ):
        return False
    expected = (
        Registration.Status.WAITLISTED
        if message == "waitlisted"
        else Registration.Status.REGISTERED
    )
    if registration.status != expected:
        return False  # changed again since: the newer e-mail says it
    build_email(registration, message).send()
    return True


def send_due_reminders(now=None):
    """Send each reminder of COMMUNITY_EVENTS_REMINDERS that is due at `now`
    to the registered members of events not started yet; each registration's
    reminder is claimed by a conditional update first, so two workers (or a
    retry) never send it twice. Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    reminders = sorted(app_settings.REMINDERS.items(), key=lambda item: item[1])
    for name, seconds in reminders:
        field = f"reminded_{name}_at"
        due = Registration.objects.filter(
            status=Registration.Status.REGISTERED,
            event__live=True,
            event__cancelled=False,
            event__start_at__gt=now,
            event__start_at__lte=now + datetime.timedelta(seconds=seconds),
            **{f"{field}__isnull": True},
        )
        for pk in list(due.values_list("pk", flat=True)):
            # Closer reminders make the earlier ones moot: a member who
            # registers 30 minutes before gets only the hour's reminder.
            moot = {
                f"reminded_{other}_at": now
                for other, other_seconds in reminders
                if other_seconds > seconds
            }
            claimed = Registration.objects.filter(
                pk=pk, **{f"{field}__isnull": True}
            ).update(**{field: now})
            if not claimed:
                continue
            for key in moot:
                Registration.objects.filter(pk=pk, **{f"{key}__isnull": True}).update(
                    **{key: now}
                )
            if send_registration_email(pk, f"reminder_{name}"):
                sent += 1
    return sent


def send_due_surveys(now=None):
    """After an event has ended, send the link to its post-event survey to
    the members who were checked in, once each (a conditional update claims
    each registration first, so two workers or a retry never send it twice),
    for events that ended within COMMUNITY_EVENTS_SURVEY_WITHIN. Returns how
    many were sent."""
    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=app_settings.SURVEY_WITHIN)
    due = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        checked_in_at__isnull=False,
        survey_sent_at__isnull=True,
        event__live=True,
        event__cancelled=False,
        event__survey_page__isnull=False,
        event__survey_page__live=True,
        event__end_at__lte=now,
        event__end_at__gt=since,
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        claimed = Registration.objects.filter(
            pk=pk, survey_sent_at__isnull=True
        ).update(survey_sent_at=now)
        if claimed and send_registration_email(pk, "survey"):
            sent += 1
    return sent
