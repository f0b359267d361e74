"""The insights screens of the Wagtail admin: the engagement overview, the
listening report and the digest preference. Views check the permission,
read the period and present community.insights.reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from community.insights import exports, reports
from community.insights.forms import DigestForm, ListeningForm, PeriodForm
from community.insights.metrics import ENGAGEMENT_PERMISSION, LISTENING_PERMISSION
from community.insights.models import DigestSubscription, KeywordGroup


class InsightsView(WagtailAdminTemplateMixin, TemplateView):
    permission = ENGAGEMENT_PERMISSION
    url_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": self.get_page_title()},
        ]

    def period_form(self):
        return PeriodForm(self.request.GET or None)


class ReportView(InsightsView):
    filename = ""
    form_class = PeriodForm

    def period_form(self):
        return self.form_class(self.request.GET or None)

    def get(self, request, *args, **kwargs):
        form = self.period_form()
        start, end, granularity = form.period()
        self.form = form
        self.report = self.build(start, end, granularity)
        if not form.is_bound:
            self.form = self.form_class(
                initial={"start": start, "end": end, "granularity": granularity}
            )
        export = request.GET.get("export")
        if export in exports.FORMATS:
            headings, rows = self.table(self.report)
            name = f"{self.filename}-{start.isoformat()}-{end.isoformat()}"
            return exports.respond(export, name, headings, rows)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("export", None)
        context.update(
            form=self.form,
            report=self.report,
            query=query.urlencode(),
            chart=self.chart(self.report),
        )
        return context


class EngagementView(ReportView):
    page_title = _("Engagement")
    header_icon = "doc-full"
    template_name = "community_insights/admin/engagement.html"
    filename = "engagement"

    def build(self, start, end, granularity):
        return reports.engagement(self.request.user, start, end, granularity)

    def table(self, report):
        return exports.engagement_table(report)

    def chart(self, report):
        return {
            "labels": [slot.isoformat() for slot in report.buckets],
            "series": [
                {"label": metric.label, "data": metric.values}
                for metric in report.metrics
            ],
            "breakdowns": [
                {
                    "id": metric.id,
                    "labels": [key.label for key in metric.keys],
                    "data": [key.total for key in metric.keys],
                }
                for metric in report.metrics
                if metric.keys
            ],
        }


class ListeningView(ReportView):
    permission = LISTENING_PERMISSION
    page_title = _("Listening")
    header_icon = "comment"
    template_name = "community_insights/admin/listening.html"
    filename = "listening"
    form_class = ListeningForm

    def build(self, start, end, granularity):
        return reports.listening(
            start,
            end,
            granularity,
            user=self.request.user,
            filters=self.form.filters(),
            page=self.request.GET.get("page"),
        )

    def table(self, report):
        if self.request.GET.get("table") == "mentions":
            mentions = reports.export_mentions(report.start, report.end, report.filters)
            return exports.mentions_table(mentions)
        return exports.listening_table(report)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        keyword_groups = KeywordGroup.snippet_viewset
        context["add_group_url"] = reverse(keyword_groups.get_url_name("add"))
        query = self.request.GET.copy()
        for name in ("export", "table", "page"):
            query.pop(name, None)
        context["filter_query"] = query.urlencode()
        return context

    def chart(self, report):
        return {
            "labels": [slot.isoformat() for slot in report.buckets],
            "series": [
                {"label": entry.group.name, "data": entry.values}
                for entry in report.groups
            ],
            "sources": [
                {"label": line.label, "data": line.values} for line in report.sources
            ],
            "sentiments": [
                {"id": line.id, "label": line.label, "data": line.values}
                for line in report.sentiments
            ],
            "voice": {
                "labels": [item.label for item in report.voice],
                "data": [item.total for item in report.voice],
            },
        }


class DigestView(InsightsView):
    permission = LISTENING_PERMISSION
    page_title = _("Listening digest")
    header_icon = "mail"
    template_name = "community_insights/admin/digest.html"

    def subscription(self):
        return DigestSubscription.objects.filter(user=self.request.user).first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = self.subscription()
        context["form"] = kwargs.get("form") or DigestForm(
            initial={"frequency": current.frequency if current else "never"}
        )
        return context

    def post(self, request, *args, **kwargs):
        form = DigestForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        DigestSubscription.objects.update_or_create(
            user=request.user, defaults={"frequency": form.cleaned_data["frequency"]}
        )
        messages.success(request, _("Your digest preference is saved."))
        return redirect("community_insights:digest")
