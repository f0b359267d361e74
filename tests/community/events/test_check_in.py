"""Tickets at the door: forged, reused and other events' tokens are refused;
a second scan says since when the member is in; retries count once; only
staff with the check-in permission may scan."""

import json

import pytest
from django.core import signing
from django.utils import timezone

from community.events import services, tickets
from community.events.models import Registration
from tests.factories import MemberFactory

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


def scan(client, event, token, scan_id=None):
    data = {"token": token}
    if scan_id:
        data["scan_id"] = scan_id
    response = client.post(
        f"/en/community/events/check-in/{event.pk}/scan/",
        data,
        HTTP_ACCEPT="application/json",
        **BROWSER,
    )
    return response.status_code, json.loads(response.content)


def test_first_scan_checks_in_second_says_since_when(client, event, member, staff):
    registration = services.register(event, member)
    token = tickets.ticket_token(registration)
    client.force_login(staff)
    status, data = scan(client, event, token)
    assert status == 200 and data["state"] == "checked_in"
    assert data["name"] == str(registration.author_name())
    registration.refresh_from_db()
    first = registration.checked_in_at
    assert registration.checked_in_by == staff
    status, data = scan(client, event, token)
    local = timezone.localtime(first, event.tz).strftime("%H:%M")
    assert status == 200 and data["state"] == "already"
    assert data["message"] == f"Already checked in at {local}."
    registration.refresh_from_db()
    assert registration.checked_in_at == first


def test_a_retried_scan_gets_the_same_answer(client, event, member, staff):
    token = tickets.ticket_token(services.register(event, member))
    client.force_login(staff)
    first = scan(client, event, token, scan_id="scan-0123456789abcdef")
    again = scan(client, event, token, scan_id="scan-0123456789abcdef")
    assert first == again
    assert first[1]["state"] == "checked_in"
    assert scan(client, event, token, scan_id="scan-fedcba9876543210")[1]["state"] == (
        "already"
    )


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "\x00" * 10,
        "x" * 5000,
        signing.dumps({"r": 1, "n": "x"}, salt="another-salt"),
        signing.dumps({"r": 1, "n": "x"}, salt=tickets.TICKET_SALT, key="wrong-key"),
        signing.dumps(["not", "a", "dict"], salt=tickets.TICKET_SALT),
        signing.dumps({"r": "1", "n": 2}, salt=tickets.TICKET_SALT),
    ],
    ids=[
        "empty",
        "garbage",
        "nul",
        "huge",
        "other-salt",
        "other-key",
        "not-a-dict",
        "wrong-types",
    ],
)
def test_forged_tokens_are_refused(client, event, staff, token):
    client.force_login(staff)
    status, data = scan(client, event, token)
    assert status == 409
    assert data == {
        "ok": False,
        "state": "refused",
        "message": "This is not a ticket of this site.",
        "name": "",
    }


def test_tampered_token_is_refused(event, member, staff):
    token = tickets.ticket_token(services.register(event, member))
    payload, stamp, signature = token.rsplit(":", 2)
    tampered = (
        f"{payload}:{stamp}:{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    )
    assert services.check_in_token(event, tampered, staff).state == "refused"


def test_cancelled_and_replaced_tickets_are_refused(event, member, staff):
    old = tickets.ticket_token(services.register(event, member))
    services.cancel(event, member)
    outcome = services.check_in_token(event, old, staff)
    assert outcome.state == "refused"
    assert outcome.message == "This registration was cancelled."
    services.register(event, member)
    outcome = services.check_in_token(event, old, staff)
    assert outcome.state == "refused" and "no longer valid" in outcome.message
    assert not Registration.objects.get(event=event, user=member).checked_in_at


def test_ticket_of_another_event_is_refused(make_event, member, staff):
    one, other = make_event(title="Hangzhou tasting"), make_event(title="Shanghai")
    token = tickets.ticket_token(services.register(one, member))
    outcome = services.check_in_token(other, token, staff)
    assert outcome.state == "refused"
    assert outcome.message == "This ticket is for another event: Hangzhou tasting."


def test_waitlisted_member_is_not_let_in(make_event, staff):
    event = make_event(capacity=1)
    services.register(event, MemberFactory())
    waiting = services.register(event, MemberFactory())
    outcome = services.check_in_token(event, tickets.ticket_token(waiting), staff)
    assert outcome.state == "refused" and "waitlist" in outcome.message


def test_non_staff_cannot_check_in(client, event, member):
    token = tickets.ticket_token(services.register(event, member))
    other = MemberFactory(is_staff=True)  # staff, but without the permission
    client.force_login(other)
    status, data = scan(client, event, token)
    assert status == 403 and data["state"] == "refused"
    assert client.get(f"/en/community/events/check-in/{event.pk}/").status_code == 403
    client.logout()
    status, _data = scan(client, event, token)
    assert status == 403
    assert not Registration.objects.get(event=event, user=member).checked_in_at


def test_manual_search_and_check_in(client, event, staff):
    member = MemberFactory(username="meiling", first_name="Mei")
    registration = services.register(event, member)
    client.force_login(staff)
    url = f"/en/community/events/check-in/{event.pk}/"
    page = client.get(url, {"q": "meili"})
    assert page.status_code == 200
    assert f'name="registration" value="{registration.pk}"' in page.content.decode()
    response = client.post(url, {"registration": str(registration.pk), "q": "meili"})
    assert response.status_code == 200
    assert "Checked in. Welcome!" in response.content.decode()
    response = client.post(url, {"registration": str(registration.pk)})
    assert "Already checked in at" in response.content.decode()
    for bad in ["", "abc", "9" * 40, "\x00", "-1"]:
        response = client.post(url, {"registration": bad})
        assert response.status_code == 409
        assert "No such registration" in response.content.decode()
    assert client.get(url, {"q": "\x00" * 3 + "x" * 500}).status_code == 200


def test_unknown_event_is_404_for_staff(client, staff):
    client.force_login(staff)
    assert client.get("/en/community/events/check-in/999999999/").status_code == 404


def test_check_in_page_may_use_the_camera_and_ships_its_scanner(client, event, staff):
    client.force_login(staff)
    response = client.get(f"/en/community/events/check-in/{event.pk}/")
    assert response._permissions_policy_update == {"camera": ["self"]}
    if "Permissions-Policy" in response:
        assert "camera=(self)" in response["Permissions-Policy"]
    page = response.content.decode()
    assert 'data-jsqr-src="/static/community_events/vendor/jsqr/jsQR.js"' in page
    assert "data-scan-start" in page and "data-scan-stop" in page
    # Other pages keep the camera off.
    other = client.get(event.url)
    assert getattr(other, "_permissions_policy_update", None) is None
