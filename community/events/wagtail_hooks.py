"""Registers the events app's admin parts with Wagtail; no logic here:
registrations and invitations in the Community menu, the attendance report
under Reports, the check-in permission, the insights metric and the "My
events" tab of the account pages."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from community.events import insights, photos
from community.events.admin_views import REPORT_PERMISSION, AttendanceReportView
from community.events.viewsets import InvitationViewSet, RegistrationViewSet

hooks.register("register_community_viewset", lambda: RegistrationViewSet)
hooks.register("register_community_viewset", lambda: InvitationViewSet)
# After the community's own metrics (members first), in the overview and CSV.
hooks.register("register_insights_metrics", insights.metrics, order=10)
# An event's photo board takes posts from its attendees only.
hooks.register("community_posts_posting_denied", photos.posting_denied)


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_attendance_url():
    return [
        path(
            "community/events/attendance/",
            AttendanceReportView.as_view(),
            name="community_events_attendance",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_attendance_menu_item():
    return PermissionMenuItem(
        _("Event attendance"),
        reverse("community_events_attendance"),
        icon_name="date",
        order=1010,
        permission=REPORT_PERMISSION,
    )


@hooks.register("register_permissions")
def register_check_in_permission():
    return Permission.objects.filter(
        content_type__app_label="community_events",
        codename__in=["check_in", "view_registration"],
    )


@hooks.register("register_community_account_tab")
def my_events_tab(request):
    return (_("My events"), reverse("community_events:mine"))
