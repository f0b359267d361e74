"""The insights' extension point: another app's `Metric`, registered with the
``register_insights_metrics`` hook, in the nightly aggregation, the engagement
report and its CSV export; and the keys by which the community's metrics and
sharing's counters name a page or a post add up."""

import csv
import io

from wagtail import hooks

from community.insights import aggregates, reports
from community.insights.metrics import HOOK, LISTENING_PERMISSION, Metric
from community.insights.models import DailyMetric
from community.posts.models import PostReaction
from sharing.models import ShareCount
from tests.community.insights.insights_helpers import (
    DAY1,
    DAY2,
    comment_at,
    editor_with,
    local_noon,
    post_at,
    superuser,
)
from tests.factories import MemberFactory

#: What TastingsMetric.refresh() finds "in its app": (day, kind of tea, count).
TASTINGS = [(DAY1, "green", 3), (DAY2, "black", 2)]
TEAS = {"green": "Green tea", "black": "Black tea"}


class TastingsMetric(Metric):
    """Tea tastings by kind of tea, kept by the metric's own refresh() in the
    insights' daily rows (read by Metric's default series())."""

    id = "tastings"
    label = "Tea tastings"
    keyed = True

    def __init__(self, page=None):
        self.page = page
        self.refreshed = []

    def key_labels(self, keys):
        return {key: TEAS.get(key, key) for key in keys}

    def top_items(self, start, end, limit=50):
        return {("page", str(self.page.pk)): 4} if self.page else {}

    def refresh(self, start, end):
        self.refreshed.append((start, end))
        DailyMetric.objects.filter(metric=self.id, day__range=(start, end)).delete()
        DailyMetric.objects.bulk_create(
            DailyMetric(day=day, metric=self.id, key=kind, value=count)
            for day, kind, count in TASTINGS
            if start <= day <= end
        )


class SecretTastingsMetric(TastingsMetric):
    """The same numbers, for editors who may see the listening report."""

    id = "secret_tastings"
    label = "Secret tastings"
    permission = LISTENING_PERMISSION


def test_a_registered_metric_is_refreshed_reported_and_exported(client, page):
    comment_at(page, local_noon(DAY1))
    comment_at(page, local_noon(DAY2))
    tastings = TastingsMetric(page)
    # After every app's own metrics (campaigns and events register at 10).
    with hooks.register_temporarily(HOOK, lambda: [tastings], order=20):
        aggregates.refresh_range(DAY1, DAY2)
        assert tastings.refreshed == [(DAY1, DAY2)]
        # The community's own refresh leaves the metric's rows alone.
        aggregates.refresh_days([DAY1, DAY2])

        report = reports.engagement(superuser(), DAY1, DAY2)
        by_id = {metric.id: metric for metric in report.metrics}
        assert list(by_id)[-1] == "tastings"  # after the apps' own metrics
        metric = by_id["tastings"]
        assert (metric.label, metric.values, metric.total) == (
            "Tea tastings",
            [3, 2],
            5,
        )
        assert {key.label: key.values for key in metric.keys} == {
            "Green tea": [3, 0],
            "Black tea": [0, 2],
        }
        # Its items count towards the top pages: 2 comments + 4 tastings.
        top = report.top_items
        assert "Tea tastings" in top.metrics
        row = top.rows[0]
        assert (row.kind, row.label, row.total) == ("page", page.title, 6)
        assert row.values[top.metrics.index("Tea tastings")] == 4

        client.force_login(superuser())
        query = "start=2026-03-01&end=2026-03-02&granularity=day"
        html = client.get(f"/admin/insights/?{query}").content.decode()
        assert "Tea tastings" in html
        response = client.get(f"/admin/insights/?{query}&export=csv")
        table = list(csv.reader(io.StringIO(response.content.decode())))
        heading = table[0]
        columns = ["Tea tastings", "Tea tastings: Green tea", "Tea tastings: Black tea"]
        assert [table[1][heading.index(column)] for column in columns] == [
            "3",
            "3",
            "0",
        ]
        assert [table[2][heading.index(column)] for column in columns] == [
            "2",
            "0",
            "2",
        ]
    # Unregistered: gone from the report.
    report = reports.engagement(superuser(), DAY1, DAY2)
    assert "tastings" not in [metric.id for metric in report.metrics]


def test_a_metric_shows_to_editors_with_its_permission(django_user_model, page):
    registered = [TastingsMetric(), SecretTastingsMetric(), TastingsMetric()]
    with hooks.register_temporarily(HOOK, lambda: registered, order=20):
        engagement_only = editor_with(
            django_user_model, "community_insights.view_engagement_report"
        )
        ids = [m.id for m in reports.engagement(engagement_only, DAY1, DAY2).metrics]
        assert "secret_tastings" not in ids
        assert ids.count("tastings") == 1  # an id registered twice shows once
        both = editor_with(
            django_user_model,
            "community_insights.view_engagement_report",
            "community_insights.view_listening_report",
        )
        ids = [m.id for m in reports.engagement(both, DAY1, DAY2).metrics]
        assert ids[-2:] == ["tastings", "secret_tastings"]
        panel = [row.id for row in reports.week_comparison(both)]
        assert panel[-2:] == ["tastings", "secret_tastings"]


def test_an_item_s_comments_reactions_and_shares_add_up(page, board):
    """Insights name a page "page:<id>" and a post "post:<id>", as sharing's
    counters do: each item is one row of the top items."""
    post = post_at(board, local_noon(DAY1))
    comment_at(page, local_noon(DAY1))
    comment_at(page, local_noon(DAY1))
    comment_at(post, local_noon(DAY1))
    like = PostReaction.objects.create(post=post, user=MemberFactory())
    PostReaction.objects.filter(pk=like.pk).update(created_at=local_noon(DAY1))
    ShareCount.objects.all().delete()
    for kind, pk, event, count in [
        ("page", page.pk, ShareCount.SHARE, 5),
        ("page", page.pk, ShareCount.VISIT, 1),
        ("post", post.pk, ShareCount.SHARE, 3),
    ]:
        ShareCount.objects.create(
            day=DAY1,
            site=page.get_site(),
            event=event,
            platform="weibo",
            object_kind=kind,
            object_id=pk,
            count=count,
        )
    aggregates.refresh_range(DAY1, DAY1)
    top = reports.engagement(superuser(), DAY1, DAY1).top_items
    totals = {(row.kind, row.object_id): row.total for row in top.rows}
    assert totals == {("page", str(page.pk)): 2 + 5 + 1, ("post", str(post.pk)): 5}
    page_row = next(row for row in top.rows if row.kind == "page")
    values = dict(zip(top.metrics, page_row.values, strict=True))
    assert values["Comments"] == 2
    assert values["Shares"] == 5
    assert values["Share-driven visits"] == 1
