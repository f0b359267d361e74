"""The insights panel of the Wagtail admin home: what waits in moderation and
the last 7 days against the 7 before, for every metric the editor may see."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from community.insights import reports
from community.insights.metrics import ENGAGEMENT_PERMISSION


def moderation_waiting(user):
    """What waits for a moderator, per queue the editor may moderate:
    {"comments": (count, url), "posts": (count, url)}; empty when they
    moderate neither."""
    from community.comments.models import Comment
    from community.posts.models import Post

    queues = {}
    if moderates(user, "comment"):
        queues["comments"] = (
            Comment.objects.needs_review().count(),
            reverse("wagtailsnippets_community_comment:list"),
        )
    if moderates(user, "post"):
        queues["posts"] = (
            Post.objects.needs_review().count(),
            reverse("wagtailsnippets_community_post:list"),
        )
    return queues


def moderates(user, model_name):
    return user.has_perm(f"community_{model_name}s.change_{model_name}")


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
        waiting = moderation_waiting(user)
        return {
            "waiting": waiting,
            "rows": reports.week_comparison(user),
            "report_url": (
                reverse("community_insights:engagement")
                if user.has_perm(ENGAGEMENT_PERMISSION)
                else ""
            ),
        }


def show_panel(user):
    from community.insights.metrics import metrics_for

    return (
        moderates(user, "comment") or moderates(user, "post") or bool(metrics_for(user))
    )
