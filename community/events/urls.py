"""The member's registrations and tickets, and the check-in page at the door
(event pages route their own registration). Include under any prefix, e.g.
``path("community/events/", include("community.events.urls"))``."""

from django.urls import path, register_converter

from community.events import views


class KeyConverter:
    """A primary key: up to 18 digits (a longer number is a 404, never a
    database overflow)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(KeyConverter, "event_pk")

app_name = "community_events"

urlpatterns = [
    path("mine/", views.my_registrations, name="mine"),
    path("tickets/<event_pk:pk>/", views.ticket, name="ticket"),
    path("check-in/<event_pk:pk>/", views.check_in_page, name="check_in"),
    path("check-in/<event_pk:pk>/scan/", views.check_in_scan, name="check_in_scan"),
]
