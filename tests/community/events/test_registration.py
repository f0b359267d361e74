"""Registering, the waitlist, cancelling, invitations and the e-mails."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from community.events import services, tickets
from community.events.models import Invitation, Registration
from community.models import Profile
from community.privacy import delete_account, export_user_data
from community.suspensions import suspend
from tests.factories import MemberFactory, UserFactory

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


def register_url(event):
    return event.url + event.reverse_subpage("register")


def cancel_url(event):
    return event.url + event.reverse_subpage("cancel")


def test_one_click_registration_sends_ticket_and_ics(client, event, member, commits):
    client.force_login(member)
    with commits(execute=True):
        response = client.post(register_url(event), **BROWSER)
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, user=member)
    assert registration.status == "registered"
    message = next(m for m in mail.outbox if m.to == [member.email])
    assert event.title in message.subject
    names = [attachment[0] for attachment in message.attachments]
    assert names == ["event.ics", "ticket.png"]
    ics = icalendar.Calendar.from_ical(message.attachments[0][1])
    [vevent] = ics.walk("VEVENT")
    assert str(vevent["summary"]) == event.title
    assert vevent.decoded("dtstart") == event.start_at
    assert vevent.decoded("dtend") == event.end_at
    assert str(vevent["uid"]).startswith(f"event-{event.pk}@")
    assert "Longjing Road" in str(vevent["location"])
    assert message.attachments[1][1][:8] == b"\x89PNG\r\n\x1a\n"
    page = client.get(event.url)
    assert b"You are registered." in page.content
    assert b"<svg" in page.content  # the QR ticket


def test_questions_are_asked_and_stored(client, make_event, member):
    event = make_event(
        questions=[
            ("short_answer", {"label": "Your name in Chinese", "required": True}),
            (
                "choice",
                {"label": "Tea", "required": True, "choices": ["Green", "Oolong"]},
            ),
        ]
    )
    client.force_login(member)
    response = client.post(register_url(event), {}, **BROWSER)
    assert response.status_code == 400
    assert not Registration.objects.filter(event=event, user=member).exists()
    ids = [block.id for block in event.questions]
    response = client.post(
        register_url(event),
        {f"q_{ids[0]}": "王小明\x00", f"q_{ids[1]}": "Oolong"},
        **BROWSER,
    )
    assert response.status_code == 400  # NUL byte: a message, nothing written
    assert not Registration.objects.filter(event=event, user=member).exists()
    response = client.post(
        register_url(event),
        {f"q_{ids[0]}": "王小明", f"q_{ids[1]}": "Oolong"},
        **BROWSER,
    )
    assert response.status_code == 302
    answers = Registration.objects.get(event=event, user=member).answers
    assert answers[ids[0]] == {"question": "Your name in Chinese", "answer": "王小明"}
    assert answers[ids[1]]["answer"] == "Oolong"


def test_registering_twice_is_refused_with_a_message(client, event, member):
    client.force_login(member)
    client.post(register_url(event), **BROWSER)
    response = client.post(register_url(event), follow=True, **BROWSER)
    assert "You are already registered for this event." in response.content.decode()
    assert Registration.objects.filter(event=event, user=member).count() == 1


def test_registration_window(make_event, member):
    now = timezone.now()
    closed = make_event(registration_closes_at=now - datetime.timedelta(minutes=1))
    with pytest.raises(services.RegistrationError, match="closed"):
        services.register(closed, member)
    later = make_event(registration_opens_at=now + datetime.timedelta(days=1))
    with pytest.raises(services.RegistrationError, match="opens"):
        services.register(later, member)
    cancelled = make_event(cancelled=True)
    with pytest.raises(services.RegistrationError, match="cancelled"):
        services.register(cancelled, member)
    assert not Registration.objects.filter(user=member).exists()


def test_who_may_register(make_event, member):
    unverified = UserFactory()
    verified_only = make_event(who_may_register="verified")
    with pytest.raises(services.RegistrationError, match="Confirm your e-mail"):
        services.register(verified_only, unverified)
    assert services.register(verified_only, member).status == "registered"
    invited_only = make_event(who_may_register="invited")
    with pytest.raises(services.RegistrationError, match="invitation only"):
        services.register(invited_only, member)


def test_suspended_member_is_refused(client, event, member):
    suspend(Profile.for_user(member), reason="spam", notify=False)
    client.force_login(member)
    response = client.post(register_url(event), follow=True, **BROWSER)
    assert "Your account is suspended: spam" in response.content.decode()
    assert not Registration.objects.filter(event=event, user=member).exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, event):
    response = client.post(register_url(event), **BROWSER)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get(register_url(event)).status_code == 405


def test_full_event_puts_members_on_the_waitlist_and_cancel_promotes(
    make_event, commits
):
    event = make_event(capacity=2)
    first, second, third, fourth = (MemberFactory() for _ in range(4))
    with commits(execute=True):
        assert services.register(event, first).status == "registered"
        assert services.register(event, second).status == "registered"
        assert services.register(event, third).status == "waitlisted"
        assert services.register(event, fourth).status == "waitlisted"
    waitlisted = [m for m in mail.outbox if m.to == [third.email]]
    assert "waitlist" in waitlisted[0].subject
    with pytest.raises(services.RegistrationError, match="already on the waitlist"):
        services.register(event, third)
    mail.outbox.clear()
    with commits(execute=True):
        services.cancel(event, first)
    statuses = dict(
        Registration.objects.filter(event=event).values_list("user_id", "status")
    )
    assert statuses == {
        first.pk: "cancelled",
        second.pk: "registered",
        third.pk: "registered",
        fourth.pk: "waitlisted",
    }
    [promoted] = [m for m in mail.outbox if m.to == [third.email]]
    assert "A place is yours" in promoted.subject
    assert [a[0] for a in promoted.attachments] == ["event.ics", "ticket.png"]
    assert not [m for m in mail.outbox if m.to == [fourth.email]]
    assert event.registered_count() == 2


def test_cancel_and_register_again_gets_a_new_ticket(event, member):
    registration = services.register(event, member)
    old = tickets.ticket_token(registration)
    services.cancel(event, member)
    with pytest.raises(services.RegistrationError, match="not registered"):
        services.cancel(event, member)
    again = services.register(event, member)
    assert again.pk == registration.pk
    assert tickets.ticket_token(again) != old


def test_members_see_and_cancel_their_registrations(client, event, member):
    services.register(event, member)
    client.force_login(member)
    page = client.get("/en/community/events/mine/")
    assert page.status_code == 200
    assert event.title in page.content.decode()
    assert 'aria-current="page">My events<' in page.content.decode()
    response = client.post(
        cancel_url(event), {"next": "/en/community/events/mine/"}, **BROWSER
    )
    assert response["Location"] == "/en/community/events/mine/"
    assert Registration.objects.get(event=event, user=member).status == "cancelled"
    # An outside "next" is not followed.
    response = client.post(cancel_url(event), {"next": "https://evil.example/"})
    assert response["Location"] == event.url


def test_ticket_page_only_for_its_member(client, event, member):
    registration = services.register(event, member)
    other = MemberFactory()
    client.force_login(other)
    assert (
        client.get(f"/en/community/events/tickets/{registration.pk}/").status_code
        == 404
    )
    client.force_login(member)
    page = client.get(f"/en/community/events/tickets/{registration.pk}/")
    assert page.status_code == 200 and b"<svg" in page.content


def test_invitation_registers_past_capacity_once(client, make_event, member):
    event = make_event(capacity=1, who_may_register="invited")
    invitation = Invitation.objects.create(event=event, note="VIP")
    first = MemberFactory()
    assert services.register(event, first, invitation=invitation).status == "registered"
    link = Invitation.objects.create(event=event, note="Second").url()
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.force_login(member)
    assert client.get("/" + path).status_code == 200
    response = client.post("/" + path, **BROWSER)
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, user=member)
    assert registration.status == "registered" and registration.invited
    assert event.registered_count() == 2  # past the capacity of 1
    client.force_login(MemberFactory())
    response = client.post("/" + path, follow=True, **BROWSER)
    assert "already been used" in response.content.decode()
    forged = event.url + event.reverse_subpage("invitation") + "?key=forged:token"
    response = client.get(forged, follow=True)
    assert "not valid" in response.content.decode()


@override_settings(COMMUNITY_EVENTS_RATE_LIMITS={"event_registration": "2/m/user"})
def test_registration_writes_are_rate_limited(client, make_event, member):
    client.force_login(member)
    for _ in range(2):
        client.post(register_url(make_event()), **BROWSER)
    response = client.post(register_url(make_event()), **BROWSER)
    assert response.status_code == 429
    assert Registration.objects.filter(user=member).count() == 2


def test_deleting_the_account_frees_the_place(make_event):
    event = make_event(capacity=1)
    leaving, waiting = MemberFactory(), MemberFactory()
    services.register(event, leaving)
    services.register(event, waiting)
    [exported] = export_user_data(leaving)["events"]
    assert exported["event"] == event.title and exported["status"] == "registered"
    delete_account(leaving)
    assert Registration.objects.get(event=event, user=waiting).status == "registered"
