"""The member's registrations and tickets, and the check-in page at the door
(event pages route their own registration). Include under any prefix, e.g.
``path("community/events/", include("community.events.urls"))``."""

from django.urls import path

from community.events import views

app_name = "community_events"

urlpatterns = [
    path("mine/", views.my_registrations, name="mine"),
    path("tickets/<int:pk>/", views.ticket, name="ticket"),
    path("check-in/<int:pk>/", views.check_in_page, name="check_in"),
    path("check-in/<int:pk>/scan/", views.check_in_scan, name="check_in_scan"),
]
