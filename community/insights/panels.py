"""The insights in the Wagtail admin: the home page panel (what waits in
moderation, the last 7 days against the 7 before, for every metric the editor
may see) and the Reports menu entries."""

from dataclasses import dataclass

from django.urls import reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from community import moderation
from community.insights import reports
from community.insights.metrics import ENGAGEMENT_PERMISSION, metrics_for
from community.moderation.admin import queue_url


@dataclass
class Waiting:
    """One moderation queue on the panel."""

    verbose_name: str
    verbose_name_plural: str
    count: int
    url: str


def moderated_by(user):
    """The moderators (from the registry) whose queues `user` may moderate."""
    return [
        moderator for moderator in moderation.registry if moderator.may_moderate(user)
    ]


def moderation_waiting(user):
    """What waits for a moderator, one `Waiting` per registered moderated
    model the editor may moderate; empty when they moderate none."""
    waiting = []
    for moderator in moderated_by(user):
        opts = moderator.model._meta
        waiting.append(
            Waiting(
                verbose_name=opts.verbose_name,
                verbose_name_plural=opts.verbose_name_plural,
                count=moderator.queue().count(),
                url=queue_url(moderator.model),
            )
        )
    return waiting


class InsightsDashboardPanel(Component):
    name = "community_insights"
    order = 90
    template_name = "community_insights/admin/dashboard_panel.html"

    class Media:
        css = {"all": ["community_insights/insights.css"]}

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        return {
            "waiting": moderation_waiting(user),
            "rows": reports.week_comparison(user),
            "report_url": (
                reverse("community_insights:engagement")
                if user.has_perm(ENGAGEMENT_PERMISSION)
                else ""
            ),
        }


def show_panel(user):
    return bool(moderated_by(user)) or bool(metrics_for(user))


class InsightsMenuItem(MenuItem):
    """A Reports menu entry shown to editors with `permission`."""

    def __init__(self, *args, permission, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)
