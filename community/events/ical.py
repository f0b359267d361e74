"""iCalendar (RFC 5545) files of events, made with the `icalendar` package:
one event (the e-mail's attachment, the page's "Add to calendar" link) or an
index's feed."""

import icalendar
from django.utils import timezone

from community.sites import site_root_url

PRODID = "-//Socialsite//community.events//EN"


def vevent(event, *, method_cancelled=False):
    item = icalendar.Event()
    root = site_root_url(page=event).split("://")[-1] or "socialsite"
    item.add("uid", f"event-{event.pk}@{root}")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.start_at)
    item.add("dtend", event.end_at)
    item.add("summary", event.title)
    description = event.description_text()
    if event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    if description:
        item.add("description", description)
    location = ", ".join(
        part for part in (event.venue_name, event.venue_address) if part
    )
    if location or event.online_url:
        item.add("location", location or event.online_url)
    url = event.get_full_url()
    if url:
        item.add("url", url)
    if event.cancelled or method_cancelled:
        item.add("status", "CANCELLED")
    else:
        item.add("status", "CONFIRMED")
    return item


def calendar(events, name=""):
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(vevent(event))
    return cal.to_ical()
