"""The campaigns' screens of the Wagtail admin: the list of campaigns and
each campaign's report (numbers, top referrers, ranking with its CSV, the
suspicious-vote report with "void votes", the winners' announcement, the
survey's results with CSV and XLSX). Views check the permission and present
community.campaigns' services."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from community.campaigns import referrals, services, surveys
from community.campaigns.forms import SurveyResultsForm
from community.campaigns.models import CampaignPage, SurveyPage
from community.campaigns.views import export_response

PERMISSION = "community_campaigns.change_entry"
CHART_JS = "community_insights/vendor/chartjs/chart.umd.min.js"


class CampaignAdminView(WagtailAdminTemplateMixin, TemplateView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": gettext_lazy("Home")},
            {"url": "", "label": self.get_page_title()},
        ]


class CampaignListView(CampaignAdminView):
    template_name = "community_campaigns/admin/campaign_list.html"
    page_title = gettext_lazy("Campaigns")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaigns"] = CampaignPage.objects.order_by("-starts_at")
        context["surveys"] = SurveyPage.objects.order_by("-first_published_at")
        return context


class CampaignReportView(CampaignAdminView):
    template_name = "community_campaigns/admin/report.html"
    page_title = gettext_lazy("Campaign report")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.page = (
            get_object_or_404(CampaignPage.objects.all(), pk=kwargs["pk"])
            if kwargs.get("kind") != "survey"
            else get_object_or_404(SurveyPage.objects.all(), pk=kwargs["pk"])
        )

    def get_page_subtitle(self):
        return self.page.title

    @cached_property
    def survey_form(self):
        data = self.request.GET.copy()
        data.pop("export", None)
        return SurveyResultsForm(self.page, data or None)

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        slug = self.page.slug
        segment = self.survey_form.segment()
        if export == "ranking" and isinstance(self.page, CampaignPage):
            return export_response(
                services.ranking_csv(self.page), f"{slug}-ranking.csv", "text/csv"
            )
        if export == "survey-csv":
            return export_response(
                surveys.export_csv(self.page, segment),
                f"{slug}-survey.csv",
                "text/csv",
            )
        if export == "survey-xlsx":
            return export_response(
                surveys.export_xlsx(self.page, segment),
                f"{slug}-survey.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not isinstance(self.page, CampaignPage):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "void":
            count = services.void_suspicions(
                self.page, request.POST.getlist("suspicion"), editor=request.user
            )
            messages.success(request, _("%(count)s votes voided.") % {"count": count})
        elif action == "announce":
            try:
                chosen = services.announce_winners(self.page)
            except services.Refused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(
                    request,
                    _("Winners announced: %(count)s. They are told by e-mail.")
                    % {"count": len(chosen)},
                )
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.page
        context["page"] = page
        context["survey_results"] = []
        if page.has_survey:
            form = self.survey_form
            segment = form.segment()
            responses = surveys.segment_responses(page, segment)
            context["survey_form"] = form
            context["survey_segment"] = segment
            context["survey_count"] = len(responses)
            context["survey_results"] = surveys.results(page, responses)
            context["survey_keywords"] = surveys.keyword_counts(page, responses)
            query = self.request.GET.copy()
            query.pop("export", None)
            context["survey_query"] = query.urlencode()
            crossed = form.crossed()
            if crossed:
                context["crosstab"] = surveys.crosstab(page, *crossed, responses)
        if context["survey_results"] and apps.is_installed("community.insights"):
            # The insights app's copy of Chart.js draws the answers.
            context["chart_js"] = CHART_JS
            context["survey_chart"] = [
                {
                    "labels": [row[0] for row in item["rows"]],
                    "counts": [row[1] for row in item["rows"]],
                }
                for item in context["survey_results"]
            ]
        if isinstance(page, CampaignPage):
            context["numbers"] = services.campaign_numbers(page)
            context["ranking"] = services.ranking(page)[:20]
            context["suspicions"] = services.fraud_report(page)
            context["winners"] = services.winners(page)
            context["shares"] = services.share_numbers(page)
        else:
            context["numbers"] = {
                "responses": surveys.SurveyResponse.objects.filter(
                    page_id=page.pk
                ).count()
            }
        board = referrals.leaderboard(page.url or "/", limit=10) if page.url else []
        context["referrers"] = board
        context["referral_visits"] = referrals.ReferralVisit.objects.filter(
            path__startswith=page.url or "/"
        ).count()
        context["referral_signups"] = referrals.ReferralSignup.objects.filter(
            path__startswith=page.url or "/"
        ).count()
        return context
