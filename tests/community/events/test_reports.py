"""After the event: the attendance report, the attendee export and the
insights metric."""

import datetime

from django.utils import timezone

from community.events import services, tickets
from community.events.insights import RegistrationsMetric
from community.insights.registry import all_metrics
from tests.factories import MemberFactory


def test_attendance_numbers(make_event, staff):
    now = timezone.now()
    event = make_event(capacity=3)
    members = [MemberFactory() for _ in range(5)]
    for member in members:
        services.register(event, member)
    services.cancel(event, members[0])  # promotes members[3]
    for member in members[1:3]:
        registration = event.registrations.get(user=member)
        services.check_in_token(event, tickets.ticket_token(registration), staff)
    event.start_at = now - datetime.timedelta(hours=3)
    event.end_at = now - datetime.timedelta(hours=1)
    event.save()
    assert services.attendance(event) == {
        "registered": 3,
        "waitlisted": 1,
        "cancelled": 1,
        "present": 2,
        "no_show_rate": 33.3,
    }


def test_attendance_report_and_export_in_the_admin(client, make_event):
    event = make_event(title="=HYPERLINK(evil)")
    services.register(event, MemberFactory(username="attendee-one"))
    editor = MemberFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    report = client.get("/admin/community/events/attendance/")
    assert report.status_code == 200
    assert "=HYPERLINK(evil)" in report.content.decode()
    csv = client.get("/admin/community/events/attendance/", {"export": "csv"})
    assert b"'=HYPERLINK(evil)," in csv.content
    export = client.get(
        "/admin/community/events/registrations/", {"export": "csv", "event": event.pk}
    )
    assert export.status_code == 200
    body = (
        b"".join(export.streaming_content).decode()
        if export.streaming
        else export.content.decode()
    )
    assert "attendee-one@example.com" in body


def test_attendance_report_needs_permission(client, db):
    client.force_login(MemberFactory(is_staff=True))
    assert client.get("/admin/community/events/attendance/").status_code in (302, 403)


def test_registrations_metric(make_event):
    event = make_event(capacity=1)
    services.register(event, MemberFactory())
    services.register(event, MemberFactory())
    assert any(metric.id == "event_registrations" for metric in all_metrics())
    today = timezone.localdate()
    series = RegistrationsMetric().series(today, today)
    assert series[(today, "registered")] >= 1
    assert series[(today, "waitlisted")] >= 1
