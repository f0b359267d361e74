"""Registers the insights' admin screens with Wagtail; no logic here: the
engagement overview (composed from every app's "register_insights_metrics"
hook), listening, the digest, the home panel, the keyword groups."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from community.insights import admin_urls as insights_urls
from community.insights.metrics import (
    ENGAGEMENT_PERMISSION,
    LISTENING_PERMISSION,
    community_metrics,
)
from community.insights.panels import (
    InsightsDashboardPanel,
    InsightsMenuItem,
    show_panel,
)
from community.insights.viewsets import (
    AlertRuleViewSet,
    AlertViewSet,
    KeywordGroupViewSet,
    SourceViewSet,
)

hooks.register("register_community_viewset", lambda: KeywordGroupViewSet)
hooks.register("register_community_viewset", lambda: SourceViewSet)
hooks.register("register_community_viewset", lambda: AlertRuleViewSet)
hooks.register("register_community_viewset", lambda: AlertViewSet)


@hooks.register("register_insights_metrics")
def register_insights_metrics():
    return community_metrics()


@hooks.register("register_admin_urls")
def register_insights_urls():
    return [path("insights/", include(insights_urls, namespace="community_insights"))]


@hooks.register("register_reports_menu_item")
def register_engagement_menu_item():
    return InsightsMenuItem(
        _("Engagement"),
        reverse("community_insights:engagement"),
        icon_name="doc-full",
        order=1000,
        permission=ENGAGEMENT_PERMISSION,
    )


@hooks.register("register_reports_menu_item")
def register_listening_menu_item():
    return InsightsMenuItem(
        _("Listening"),
        reverse("community_insights:listening"),
        icon_name="comment",
        order=1001,
        permission=LISTENING_PERMISSION,
    )


@hooks.register("construct_homepage_panels")
def add_insights_panel(request, panels):
    if show_panel(request.user):
        panels.append(InsightsDashboardPanel(request))


@hooks.register("register_permissions")
def register_insights_permissions():
    return Permission.objects.filter(
        content_type__app_label="community_insights",
        codename__in=["view_engagement_report", "view_listening_report"],
    )
