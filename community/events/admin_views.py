"""The attendance report in the Wagtail admin (Reports → Event attendance):
per event, how many registered, waited, cancelled, came, and the no-show
rate; CSV export with the same columns."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from community.events.models import EventPage
from community.events.services import attendance

REPORT_PERMISSION = "community_events.view_registration"


def report_rows():
    rows = []
    for event in EventPage.objects.order_by("-start_at"):
        rows.append({"event": event, **attendance(event)})
    return rows


class AttendanceReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "community_events/admin/attendance.html"
    page_title = _("Event attendance")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return self.csv()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = report_rows()
        return context

    def csv(self):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="event-attendance.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Event"),
                _("Starts"),
                _("Registered"),
                _("Waitlisted"),
                _("Cancelled"),
                _("Present"),
                _("No-show rate (%)"),
            ]
        )
        for row in report_rows():
            title = row["event"].title
            if title[:1] in ("=", "+", "-", "@"):
                title = "'" + title  # no formulas in spreadsheets
            writer.writerow(
                [
                    title,
                    row["event"].start_at.isoformat(),
                    row["registered"],
                    row["waitlisted"],
                    row["cancelled"],
                    row["present"],
                    "" if row["no_show_rate"] is None else row["no_show_rate"],
                ]
            )
        return response
