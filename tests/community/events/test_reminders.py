"""Reminders a day and an hour before, by frozen time (the sender takes
`now`), in the member's language, each sent once."""

import datetime
import io

import time_machine
from django.core import mail
from django.core.management import call_command

from community.events import services
from community.events.models import Registration
from community.events.notifications import send_due_reminders
from community.models import Profile
from tests.factories import MemberFactory


def reminders_to(member):
    return [m for m in mail.outbox if m.to == [member.email]]


def test_day_and_hour_reminders_are_sent_once(make_event):
    event = make_event()
    member = MemberFactory()
    services.register(event, member)
    mail.outbox.clear()
    start = event.start_at
    # Two days before: nothing due.
    send_due_reminders(now=start - datetime.timedelta(days=2))
    assert reminders_to(member) == []
    # 23 hours before: the day's reminder, once however often the job runs.
    for _ in range(3):
        send_due_reminders(now=start - datetime.timedelta(hours=23))
    [day] = reminders_to(member)
    assert day.subject == f"Tomorrow: {event.title}"
    assert [a[0] for a in day.attachments] == ["event.ics", "ticket.png"]
    # 50 minutes before: the hour's reminder, once.
    send_due_reminders(now=start - datetime.timedelta(minutes=50))
    send_due_reminders(now=start - datetime.timedelta(minutes=40))
    assert [m.subject for m in reminders_to(member)] == [
        f"Tomorrow: {event.title}",
        f"In an hour: {event.title}",
    ]
    # After the start: nothing more.
    send_due_reminders(now=start + datetime.timedelta(minutes=5))
    assert len(reminders_to(member)) == 2


def test_late_registration_gets_only_the_hour_reminder(make_event):
    event = make_event()
    member = MemberFactory()
    services.register(event, member)
    mail.outbox.clear()
    send_due_reminders(now=event.start_at - datetime.timedelta(minutes=30))
    send_due_reminders(now=event.start_at - datetime.timedelta(minutes=20))
    assert [m.subject for m in reminders_to(member)] == [f"In an hour: {event.title}"]
    registration = Registration.objects.get(event=event, user=member)
    assert registration.reminded_day_at and registration.reminded_hour_at


def test_reminder_in_the_members_language(make_event):
    event = make_event(title="龙井品鉴会")
    member = MemberFactory()
    profile = Profile.for_user(member)
    profile.language = "zh-hans"
    profile.save()
    registration = services.register(event, member)
    Registration.objects.filter(pk=registration.pk).update(language="")
    mail.outbox.clear()
    send_due_reminders(now=event.start_at - datetime.timedelta(hours=2))
    [message] = reminders_to(member)
    # Rendered in Chinese: Django's own Chinese date format (the app's
    # catalogue translates the words).
    start = event.local_start()
    assert f"{start.year}年{start.month}月{start.day}日" in message.body


def test_waitlisted_and_cancelled_get_no_reminder(make_event):
    event = make_event(capacity=1)
    going, waiting, gone = MemberFactory(), MemberFactory(), MemberFactory()
    services.register(event, going)
    services.register(event, waiting)
    other = make_event()
    services.register(other, gone)
    services.cancel(other, gone)
    mail.outbox.clear()
    send_due_reminders(now=event.start_at - datetime.timedelta(hours=2))
    assert reminders_to(going) and not reminders_to(waiting) and not reminders_to(gone)


def test_reminders_by_frozen_time_through_the_command(make_event):
    """The cron command, with the clock frozen a day and then an hour before:
    each reminder once, in the member's language."""
    event = make_event(title="碧螺春品鉴会")
    member = MemberFactory()
    profile = Profile.for_user(member)
    profile.language = "zh-hans"
    profile.save()
    registration = services.register(event, member)
    Registration.objects.filter(pk=registration.pk).update(language="")
    mail.outbox.clear()
    with time_machine.travel(event.start_at - datetime.timedelta(days=2), tick=False):
        call_command("events_send_reminders", stdout=io.StringIO())
    assert reminders_to(member) == []
    with time_machine.travel(event.start_at - datetime.timedelta(hours=23), tick=False):
        call_command("events_send_reminders", stdout=io.StringIO())
        call_command("events_send_reminders", stdout=io.StringIO())
    with time_machine.travel(
        event.start_at - datetime.timedelta(minutes=45), tick=False
    ):
        call_command("events_send_reminders", stdout=io.StringIO())
    day, hour = reminders_to(member)
    start = event.local_start()
    for message in (day, hour):
        assert f"{start.year}年{start.month}月{start.day}日" in message.body
        assert event.title in message.subject
    assert day.subject != hour.subject
