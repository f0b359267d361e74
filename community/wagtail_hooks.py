"""Registers the app's admin screens and panels with Wagtail; no logic here."""

from django.urls import include, path, reverse  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402
from wagtail import hooks  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402
from wagtail.permissions import register_permission_policy  # noqa: E402
from wagtail.snippets.models import register_snippet  # noqa: E402

from community.admin_viewsets import CommunityViewSetGroup  # noqa: E402
from community.insights import admin_urls as insights_urls  # noqa: E402
from community.insights.metrics import (  # noqa: E402
    ENGAGEMENT_PERMISSION,
    LISTENING_PERMISSION,
    community_metrics,
)
from community.insights.panels import InsightsDashboardPanel, show_panel  # noqa: E402
from community.models import Comment, Post  # noqa: E402
from community.moderation_admin import (  # noqa: E402
    ApproveCommentsBulkAction,
    CommentPermissionPolicy,
    RemoveCommentsBulkAction,
    SpamCommentsBulkAction,
)
from community.posts_admin import (  # noqa: E402
    ApprovePostsBulkAction,
    PostPermissionPolicy,
    RejectPostsBulkAction,
    RemovePostsBulkAction,
)

# Comments: Community → Comments, with its moderation bulk actions.
register_permission_policy(Comment, CommentPermissionPolicy(Comment), exact_class=True)
register_permission_policy(Post, PostPermissionPolicy(Post), exact_class=True)
register_snippet(CommunityViewSetGroup)
hooks.register("register_bulk_action", ApproveCommentsBulkAction)
hooks.register("register_bulk_action", RemoveCommentsBulkAction)
hooks.register("register_bulk_action", SpamCommentsBulkAction)

# Posts: Community → Posts, the same kind of queue.
hooks.register("register_bulk_action", ApprovePostsBulkAction)
hooks.register("register_bulk_action", RejectPostsBulkAction)
hooks.register("register_bulk_action", RemovePostsBulkAction)


# Insights: the engagement overview (composed from every app's
# "register_insights_metrics" hook), listening, the digest, the home panel.
@hooks.register("register_insights_metrics")
def register_insights_metrics():
    return community_metrics()


@hooks.register("register_admin_urls")
def register_insights_urls():
    return [path("insights/", include(insights_urls, namespace="community_insights"))]


class InsightsMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


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
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="community",
        codename__in=["view_engagement_report", "view_listening_report"],
    )
