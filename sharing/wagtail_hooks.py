"""Registers the app's admin screens and panels with Wagtail; no logic here."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.contrib.settings.registry import register_setting

from . import admin_urls, pagecache, tracking, viewsets
from .admin_views import SharesDashboardPanel, can_view_reports
from .insights import sharing_metrics
from .models import SharingSettings
from .shareables import Shareable

register_setting(SharingSettings, icon="link")

own_media_posts = viewsets.PublishAttemptViewSet()


class SharesReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_reports(request.user)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/shares/", include(admin_urls, namespace="sharing_reports")),
        path(
            "reports/own-media-posts/actions/",
            include((viewsets.admin_urlpatterns, "sharing_publishing")),
        ),
    ]


@hooks.register("register_admin_viewset")
def register_own_media_posts():
    return own_media_posts


@hooks.register("register_reports_menu_item")
def register_own_media_posts_menu_item():
    return own_media_posts.get_menu_item(order=1110)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return SharesReportMenuItem(
        _("Shares"), reverse("sharing_reports:shares"), icon_name="link", order=1100
    )


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    if can_view_reports(request.user):
        panels.append(SharesDashboardPanel(request))


@hooks.register("before_serve_page")
def count_share_driven_visit(page, request, serve_args, serve_kwargs):
    if isinstance(page, Shareable):
        tracking.count_visit(request, page)


@hooks.register("before_serve_page")
def cache_page_for_anonymous_visitors(page, request, serve_args, serve_kwargs):
    pagecache.cache_page(request, page)


@hooks.register("register_insights_metrics")
def register_insights_metrics():
    return sharing_metrics()


@hooks.register("register_permissions")
def register_report_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="sharing", codename="view_share_reports"
    )
