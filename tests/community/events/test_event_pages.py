"""Event pages and their index: facts, map links, JSON-LD, iCalendar feeds,
upcoming/past, city filter, pagination and the month calendar."""

import datetime

import icalendar
import pytest
from django.test import override_settings
from django.utils import timezone

from community.events import services
from tests.factories import MemberFactory
from tests.rich_results import json_ld, problems


def test_event_page_shows_facts_map_links_and_valid_json_ld(client, event):
    response = client.get(event.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cloudmist tea house" in html
    assert "https://uri.amap.com/search?keyword=1%20Longjing%20Road" in html
    assert "https://api.map.baidu.com/geocoder?address=" in html
    assert "https://www.openstreetmap.org/search?query=" in html
    assert '<script src="https://' not in html  # no third-party script
    assert "20 of 20 places left" in html
    [data] = [item for item in json_ld(html) if item.get("@type") == "Event"]
    assert problems(data) == []
    assert data["name"] == event.title
    assert data["startDate"].endswith("+08:00")  # the venue's time zone
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["streetAddress"] == "1 Longjing Road, Hangzhou"
    assert (
        data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    )
    assert data["eventStatus"] == "https://schema.org/EventScheduled"


def test_online_event_json_ld(client, make_event):
    event = make_event(
        venue_name="", venue_address="", online_url="https://meet.example/t"
    )
    [data] = [
        i
        for i in json_ld(client.get(event.url).content.decode())
        if i.get("@type") == "Event"
    ]
    assert problems(data) == []
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "https://meet.example/t",
    }
    assert data["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
    hybrid = make_event(online_url="https://meet.example/h", cancelled=True)
    [data] = [
        i
        for i in json_ld(client.get(hybrid.url).content.decode())
        if i.get("@type") == "Event"
    ]
    assert problems(data) == []
    assert [place["@type"] for place in data["location"]] == [
        "Place",
        "VirtualLocation",
    ]
    assert data["eventStatus"].endswith("EventCancelled")


def test_online_link_only_for_registered_members(client, make_event):
    event = make_event(online_url="https://meet.example/secret")
    assert (
        "meet.example/secret"
        not in client.get(event.url).content.decode().split("application/ld+json")[0]
    )
    member = MemberFactory()
    services.register(event, member)
    client.force_login(member)
    assert (
        'href="https://meet.example/secret"' in client.get(event.url).content.decode()
    )


def test_event_ics_parses(client, event):
    response = client.get(event.url + event.reverse_subpage("ical"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [vevent] = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == event.start_at
    assert str(vevent["status"]) == "CONFIRMED"


def test_index_lists_upcoming_and_past_by_city(client, event_index, make_event):
    now = timezone.now()
    shanghai = make_event(title="Shanghai white tea", city="Shanghai")
    past = make_event(
        title="Last spring tasting",
        start_at=now - datetime.timedelta(days=30),
        end_at=now - datetime.timedelta(days=30, hours=-2),
    )
    hangzhou = make_event(title="Hangzhou green tea")
    html = client.get(event_index.url).content.decode()
    assert shanghai.title in html and hangzhou.title in html
    assert past.title not in html
    html = client.get(event_index.url, {"when": "past"}).content.decode()
    assert past.title in html and shanghai.title not in html
    html = client.get(event_index.url, {"city": "Shanghai"}).content.decode()
    assert shanghai.title in html and hangzhou.title not in html
    for hostile in ["\x00", "x" * 5000, "%ff"]:
        assert (
            client.get(event_index.url, {"city": hostile, "page": hostile}).status_code
            == 200
        )


@override_settings(COMMUNITY_EVENTS_PER_PAGE=2)
def test_index_is_paginated(client, event_index, make_event):
    for number in range(3):
        make_event(
            title=f"Tasting {number}",
            start_at=timezone.now() + datetime.timedelta(days=number + 1),
            end_at=timezone.now() + datetime.timedelta(days=number + 1, hours=2),
        )
    first = client.get(event_index.url).content.decode()
    second = client.get(event_index.url, {"page": "2"}).content.decode()
    assert "Tasting 0" in first and "Tasting 2" not in first
    assert "Tasting 2" in second
    assert (
        client.get(event_index.url, {"page": "99999999999999999999"}).status_code == 200
    )


def test_month_calendar(client, event_index, event):
    url = event_index.url + event_index.reverse_subpage("calendar")
    month = event.local_start().strftime("%Y-%m")
    html = client.get(url, {"month": month}).content.decode()
    assert event.title in html
    assert '<table class="event-calendar">' in html
    for hostile in ["2026-13", "0000-01", "99999-01", "\x00", "abc"]:
        assert client.get(url, {"month": hostile}).status_code == 200


def test_index_ical_feed(client, event_index, make_event):
    one, two = make_event(title="One"), make_event(title="Two", city="Shanghai")
    response = client.get(event_index.url + event_index.reverse_subpage("ical"))
    calendar = icalendar.Calendar.from_ical(response.content)
    titles = sorted(str(item["summary"]) for item in calendar.walk("VEVENT"))
    assert titles == ["One", "Two"]
    assert str(calendar["x-wr-calname"]) == event_index.title
    assert one.pk != two.pk


def event_rule_problems(data):
    """Google's event rich-result rules beyond the required properties
    (tests/rich_results.py): the attendance mode matches the locations, the
    status is one Google knows, the end is not before the start."""
    found = problems(data)
    locations = data["location"]
    locations = locations if isinstance(locations, list) else [locations]
    kinds = {location["@type"] for location in locations}
    expected = {
        "https://schema.org/OfflineEventAttendanceMode": {"Place"},
        "https://schema.org/OnlineEventAttendanceMode": {"VirtualLocation"},
        "https://schema.org/MixedEventAttendanceMode": {"Place", "VirtualLocation"},
    }.get(data.get("eventAttendanceMode"))
    if kinds != expected:
        found.append(f"locations {kinds} for {data.get('eventAttendanceMode')}")
    statuses = {
        f"https://schema.org/{status}"
        for status in (
            "EventScheduled",
            "EventCancelled",
            "EventMovedOnline",
            "EventPostponed",
            "EventRescheduled",
        )
    }
    if data.get("eventStatus") not in statuses:
        found.append(f"eventStatus {data.get('eventStatus')!r}")
    start = datetime.datetime.fromisoformat(data["startDate"])
    if "endDate" in data and datetime.datetime.fromisoformat(data["endDate"]) < start:
        found.append("endDate before startDate")
    for location in locations:
        if location["@type"] == "Place":
            address = location["address"]
            if address.get("@type") != "PostalAddress" or not address.get(
                "streetAddress"
            ):
                found.append("Place without a PostalAddress")
    return found


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {
            "online_url": "https://meet.example.com/t",
            "venue_name": "",
            "venue_address": "",
        },
        {"online_url": "https://meet.example.com/t"},
        {"cancelled": True},
    ],
    ids=["offline", "online", "hybrid", "cancelled"],
)
def test_json_ld_follows_googles_event_rules(client, make_event, fields):
    event = make_event(**fields)
    [data] = [
        item
        for item in json_ld(client.get(event.url).content.decode())
        if item.get("@type") == "Event"
    ]
    assert event_rule_problems(data) == []


def test_event_rule_checker_can_fail():
    data = {
        "@type": "Event",
        "name": "",
        "startDate": "2026-05-01T14:00:00+08:00",
        "endDate": "2026-05-01T13:00:00+08:00",
        "eventStatus": "https://schema.org/Happening",
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "location": {"@type": "Place", "address": {"@type": "PostalAddress"}},
    }
    assert len(event_rule_problems(data)) >= 4
