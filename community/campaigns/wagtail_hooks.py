"""Registers the campaigns' admin parts with Wagtail; no logic here: entries
and votes in the Community menu, the campaign reports, the insights metrics."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from community.campaigns import admin_urls
from community.campaigns.admin_views import PERMISSION
from community.campaigns.insights import campaign_metrics
from community.campaigns.viewsets import EntryViewSet, VoteViewSet

hooks.register("register_community_viewset", lambda: EntryViewSet)
hooks.register("register_community_viewset", lambda: VoteViewSet)
# After the community's own metrics (members first), in the overview and CSV.
hooks.register("register_insights_metrics", campaign_metrics, order=10)


@hooks.register("register_admin_urls")
def register_campaign_urls():
    return [
        path(
            "campaigns/",
            include(admin_urls, namespace="community_campaigns_admin"),
        )
    ]


class CampaignsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_reports_menu_item")
def register_campaigns_menu_item():
    return CampaignsMenuItem(
        _("Campaigns"),
        reverse("community_campaigns_admin:list"),
        icon_name="trophy",
        order=1010,
    )
