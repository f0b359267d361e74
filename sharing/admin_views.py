"""Admin screens: the Shares report and the dashboard panel. Views only set
attributes and call sharing.reports."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput

from . import counters, reports
from .models import ShareCount

PERMISSION = "sharing.view_share_reports"


def can_view_reports(user):
    return user.has_perm(PERMISSION)


class ShareReportFilterSet(WagtailFilterSet):
    group = django_filters.ChoiceFilter(
        label=_("Group by"),
        choices=[
            ("platform", _("Platform")),
            ("object", _("Page")),
            ("day", pgettext_lazy("group by", "Day")),
        ],
        method="no_filter",
        empty_label=None,
        null_label=None,
    )
    day_from = django_filters.DateFilter(
        field_name="day",
        lookup_expr="gte",
        label=pgettext_lazy("date range", "From"),
        widget=AdminDateInput,
    )
    day_to = django_filters.DateFilter(
        field_name="day",
        lookup_expr="lte",
        label=pgettext_lazy("date range", "To"),
        widget=AdminDateInput,
    )
    platform = django_filters.CharFilter(label=_("Platform"), widget=forms.HiddenInput)

    class Meta:
        model = ShareCount
        fields = ["site"]

    def no_filter(self, queryset, name, value):
        return queryset


class ShareReportView(ReportView):
    page_title = _("Shares")
    header_icon = "link"
    index_url_name = "sharing_reports:shares"
    index_results_url_name = "sharing_reports:shares_results"
    filterset_class = ShareReportFilterSet
    export_filename = "shares"
    paginate_by = 100
    list_export = ["label", "shares", "visits"]
    export_headings = {
        "label": _("Platform, page or day"),
        "shares": _("Shares"),
        "visits": _("Share-driven visits"),
    }
    columns = [
        Column("label", label=_("Platform, page or day")),
        Column("shares", label=_("Shares")),
        Column("visits", label=_("Share-driven visits")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not can_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def group(self):
        group = self.request.GET.get("group", "platform")
        return group if group in reports.GROUPS else "platform"

    def get_queryset(self):
        # Counts waiting in Redis first: the report is exact when it opens.
        counters.flush_quietly()
        return ShareCount.objects.all()

    def get_filtered_queryset(self):
        return reports.totals(self.filter_queryset(self.get_queryset()), self.group)

    def get_filename(self):
        return f"shares-by-{self.group}-{timezone.localdate().isoformat()}"


class SharesDashboardPanel(Component):
    """Shares and share-driven visits per platform, last 7 and 30 days."""

    name = "sharing_shares"
    order = 160
    template_name = "sharing/admin/dashboard_panel.html"

    class Media:
        css = {"all": ["sharing/admin.css"]}

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        from django.urls import reverse

        counters.flush_quietly()
        periods = reports.recent_by_platform((7, 30))
        today = timezone.localdate()
        return {
            "periods": [periods[7], periods[30]],
            "report_url": reverse("sharing_reports:shares"),
            "since_30": (today - datetime.timedelta(days=29)).isoformat(),
        }
