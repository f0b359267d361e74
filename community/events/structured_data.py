"""schema.org `Event` JSON-LD of an event page, with the properties Google's
event rich results require (name, startDate, location: a Place with its
address, or a VirtualLocation with its URL) and the recommended ones
(description, endDate, eventStatus, eventAttendanceMode, image, organizer)."""

from django.utils import timezone

from community import app_settings as community_settings
from community.sites import site_root_url
from sharing.links import absolute_image_url, share_rendition

SCHEMA = "https://schema.org"


def iso(value, tz):
    return timezone.localtime(value, tz).isoformat(timespec="seconds")


def event_json_ld(event, request=None):
    locations = []
    if event.is_offline:
        locations.append(
            {
                "@type": "Place",
                "name": event.venue_name or event.venue_address,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": event.venue_address or event.venue_name,
                    **({"addressLocality": event.city} if event.city else {}),
                },
            }
        )
    if event.is_online:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    if event.is_online and event.is_offline:
        mode = "MixedEventAttendanceMode"
    elif event.is_online:
        mode = "OnlineEventAttendanceMode"
    else:
        mode = "OfflineEventAttendanceMode"
    status = "EventCancelled" if event.cancelled else "EventScheduled"
    data = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": event.title,
        "url": event.get_full_url(request),
        "startDate": iso(event.start_at, event.tz),
        "endDate": iso(event.end_at, event.tz),
        "eventStatus": f"{SCHEMA}/{status}",
        "eventAttendanceMode": f"{SCHEMA}/{mode}",
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {
            "@type": "Organization",
            "name": str(community_settings.BRAND_NAME),
            "url": site_root_url(request, page=event) + "/",
        },
    }
    description = event.get_share_description()
    if description:
        data["description"] = description
    rendition = share_rendition(request, event)
    if rendition is not None:
        data["image"] = [absolute_image_url(request, rendition)]
    return data
