from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from community.insights.models import Alert, AlertRule, KeywordGroup, Source
from community.insights.source_forms import AlertRuleForm, SourceForm
from community.insights.source_views import (
    FetchNowView,
    ImportJobView,
    ImportView,
    SourceIndexView,
    SourceInspectView,
)
from community.moderation.admin import HumanInspectView


class KeywordGroupViewSet(SnippetViewSet):
    model = KeywordGroup
    icon = "tag"
    menu_label = _("Listening keywords")
    menu_name = "keyword_groups"
    url_prefix = "community/keyword-groups"
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = HumanInspectView
    list_display = [
        "name",
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column(
            "keywords", label=_("Keywords"), accessor=lambda g: ", ".join(g.keywords())
        ),
        "active",
    ]
    list_filter = ["kind", "active"]


def source_status(source):
    labels = {
        "ok": _("OK"),
        "failing": _("Failing"),
        "paused": _("Paused"),
        "new": _("Not fetched yet"),
    }
    return labels[source.status()]


def connector_name(source):
    connector = source.get_connector()
    return connector.name if connector else source.connector


def source_site(source):
    return source.site or pgettext("listening source", "Every site")


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "globe"
    menu_label = _("Listening sources")
    menu_name = "listening_sources"
    url_prefix = "community/listening-sources"
    index_view_class = SourceIndexView
    inspect_view_enabled = True
    inspect_view_class = SourceInspectView
    copy_view_enabled = False
    list_filter = ["site", "active"]
    list_per_page = 50
    list_display = [
        "name",
        Column("connector", label=_("Connector"), accessor=connector_name),
        Column("site", label=_("Site"), accessor=source_site),
        Column("status", label=_("Status"), accessor=source_status),
        Column(
            "last_error",
            label=_("Last error"),
            accessor=lambda s: Truncator(s.last_error).chars(120),
        ),
        DateColumn("last_ok_at", label=_("Last success"), sort_key="last_ok_at"),
        DateColumn("next_fetch_at", label=_("Next try"), sort_key="next_fetch_at"),
        Column("failures", label=_("Failures"), sort_key="failures"),
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("connector")]),
            FieldPanel("site"),
            FieldPanel("config"),
            FieldRowPanel([FieldPanel("interval"), FieldPanel("active")]),
        ],
        base_form_class=SourceForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("fetch/<int:pk>/", FetchNowView.as_view(), name="fetch"),
            path("import/<int:pk>/", ImportView.as_view(), name="import"),
            path(
                "import/<int:pk>/job/<int:job>/",
                ImportJobView.as_view(),
                name="import_job",
            ),
        ]


class AlertRuleViewSet(SnippetViewSet):
    model = AlertRule
    icon = "warning"
    menu_label = _("Listening alert rules")
    menu_name = "listening_alert_rules"
    url_prefix = "community/listening-alert-rules"
    copy_view_enabled = False
    list_filter = ["kind", "active"]
    list_display = [
        "name",
        Column("group", label=_("Keyword group"), accessor="group"),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        DateColumn("last_alert_at", label=_("Last alert"), sort_key="last_alert_at"),
        "active",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("group")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("active")]),
            FieldRowPanel(
                [FieldPanel("ratio"), FieldPanel("min_count")],
                heading=_("Spike and negative surge"),
            ),
            FieldRowPanel([FieldPanel("window"), FieldPanel("baseline_hours")]),
            FieldRowPanel(
                [FieldPanel("handles"), FieldPanel("min_reach")],
                heading=_("Watched accounts"),
            ),
            FieldPanel("recipients"),
            FieldRowPanel([FieldPanel("webhook_url"), FieldPanel("webhook_secret")]),
        ],
        base_form_class=AlertRuleForm,
    )


class AlertViewSet(SnippetViewSet):
    model = Alert
    icon = "warning"
    menu_label = _("Listening alerts")
    menu_name = "listening_alerts"
    url_prefix = "community/listening-alerts"
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = HumanInspectView
    list_per_page = 50
    ordering = ["-created_at"]
    list_display = [
        Column("summary", label=_("Alert"), accessor="summary"),
        Column("rule", label=_("Rule"), accessor="rule"),
        DateColumn("created_at", label=_("Date"), sort_key="created_at"),
        Column("email_status", label=_("E-mail")),
        Column("webhook_status", label=_("Webhook")),
    ]
    panels = []

    def get_queryset(self, request):
        return Alert.objects.select_related("rule")
