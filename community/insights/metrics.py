"""The insights extension point: :class:`Metric`, and the metrics of the
community apps.

An app contributes metrics with the ``register_insights_metrics`` Wagtail
hook, a function returning a list of metric instances::

    from wagtail import hooks

    @hooks.register("register_insights_metrics")
    def register_metrics():
        return [SignupsMetric(), ReviewsMetric()]

The engagement report, its exports and the admin home panel compose whatever
is registered; no app imports another's metrics. A metric is a subclass of
:class:`Metric`, or any object with the same attributes and methods (sharing's
metrics are duck-typed, so that sharing does not need this app).
"""

import datetime

from allauth.socialaccount import providers
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from community.insights.aggregates import WEEK, range_rows, week_of
from community.insights.models import DailyMetric
from community.insights.registry import HOOK, all_metrics, metrics_for
from community.posts.models import Post

__all__ = [
    "ENGAGEMENT_PERMISSION",
    "HOOK",
    "LISTENING_PERMISSION",
    "Metric",
    "all_metrics",
    "metric_total",
    "metrics_for",
]

ENGAGEMENT_PERMISSION = "community_insights.view_engagement_report"
LISTENING_PERMISSION = "community_insights.view_listening_report"


def bucket(day, granularity):
    """The first day of the day's bucket: the day itself, or its week's Monday."""
    return week_of(day) if granularity == "week" else day


def buckets(start, end, granularity):
    first, result = bucket(start, granularity), []
    step = datetime.timedelta(days=7 if granularity == "week" else 1)
    while first <= end:
        result.append(first)
        first += step
    return result


class Metric:
    """A number the engagement report shows per day or per week: the public
    base class of the ``register_insights_metrics`` hook.

    A subclass sets:

    ``id``
        A short slug, unique among the registered metrics and stable (the
        report, its chart and its exports name the metric by it).
    ``label``
        What editors read: a (lazily) translated string.
    ``permission``
        The permission an editor needs to see the metric, as
        ``"app_label.codename"``; by default the engagement report's.
    ``keyed``
        True when the values are split by a key (a sign-in provider, a
        platform, a kind of post) and the report shows the split.

    How the values are read: by default from the insights' daily rows
    (:class:`~community.insights.models.DailyMetric`) whose ``metric`` is
    ``source`` (or ``id`` when ``source`` is empty), one row per day and key
    (key ``""`` when the metric is not keyed); an app that keeps its numbers
    there, e.g. from ``refresh()``, sets nothing more. An app that keeps its
    own counters overrides ``series(start, end, granularity)`` instead, which
    returns ``{(first day of the bucket, key): value}``.

    Optional overrides:

    ``key_labels(keys)``
        ``{key: label}`` for the keys of a keyed metric (default: the keys).
    ``top_items(start, end, limit)``
        ``{(kind, object id as a string): value}``, counted towards the
        "top pages and posts by engagement"; kinds are sharing's
        (``"page"`` for any Wagtail page, ``"post"`` for a community post),
        so that an item's comments, reactions and shares add up.
    ``total(start, end)``
        The metric's number over a whole period when it is not the sum of
        its values (distinct members); ``None``: the sum.
    ``refresh(start, end)``
        Recompute the metric's own sums for the days from ``start`` to
        ``end`` (dates): the nightly aggregation (``manage.py
        insights_aggregate``) calls it once per class after the community's
        own rows. ``None``: nothing to refresh.
    """

    id = ""
    source = ""
    label = ""
    permission = ENGAGEMENT_PERMISSION
    keyed = False
    total = None
    refresh = None

    def rows(self, start, end):
        """The metric's DailyMetric rows from `start` to `end`."""
        return DailyMetric.objects.filter(
            metric=self.source or self.id, day__gte=start, day__lte=end
        )

    def series(self, start, end, granularity="day"):
        """{(first day of the bucket, key): value} from `start` to `end`."""
        totals = {}
        rows = self.rows(start, end).values("day", "key").annotate(total=Sum("value"))
        for row in rows.order_by():
            slot = (bucket(row["day"], granularity), row["key"])
            totals[slot] = totals.get(slot, 0) + row["total"]
        return totals

    def key_labels(self, keys):
        return {key: key for key in keys}

    def top_items(self, start, end, limit=50):
        return {}


def metric_total(metric, start, end, series=None):
    """A metric's number over [start, end]: its ``total()`` if it has one,
    else the sum of its series (`series` when the caller has it already)."""
    total = getattr(metric, "total", None)
    if total is not None:
        return total(start, end)
    if series is None:
        series = metric.series(start, end)
    return sum(series.values())


class MembersMetric(Metric):
    id = "members"
    label = _("New members")
    keyed = True

    def key_labels(self, keys):
        labels = {}
        for key in keys:
            if key == "email":
                labels[key] = str(_("E-mail"))
                continue
            try:
                labels[key] = str(providers.registry.get_class(key).name)
            except (AttributeError, LookupError):
                labels[key] = key
        return labels


class ContributorsMetric(Metric):
    """Distinct members who posted, commented or reacted: per day from the
    daily total, per week from the weekly per-member rows (and the day rows
    of a week the range cuts); over a period, the distinct members of the
    whole period."""

    id = "contributors"
    label = _("Active contributors")

    def series(self, start, end, granularity="day"):
        if granularity != "week":
            return super().series(start, end, granularity)
        totals, whole = {}, []
        for monday in buckets(start, end, "week"):
            sunday = monday + datetime.timedelta(days=6)
            if monday >= start and sunday <= end:
                whole.append(monday)
                continue
            totals[(monday, "")] = distinct_keys(
                "contributor", max(monday, start), min(sunday, end)
            )
        rows = (
            DailyMetric.objects.filter(metric=f"contributor/{WEEK}", day__in=whole)
            .values("day")
            .annotate(members=Count("pk"))
            .order_by()
        )
        for row in rows:
            totals[(row["day"], "")] = row["members"]
        return totals

    def total(self, start, end):
        return distinct_keys("contributor", start, end)


def distinct_keys(metric, start, end):
    """How many distinct keys a rolled-up metric has over [start, end] (e.g.
    distinct contributors)."""
    return range_rows(metric, start, end).values("key").distinct().count()


def top_keys(metric, start, end, limit):
    """{key: total} of a rolled-up metric's largest keys over [start, end]."""
    rows = (
        range_rows(metric, start, end)
        .values("key")
        .annotate(total=Sum("value"))
        .order_by("-total", "key")[:limit]
    )
    return {row["key"]: row["total"] for row in rows}


def top_objects(metric, start, end, limit):
    """top_items() of a rolled-up metric keyed "<kind>:<id>"."""
    items = {}
    for key, total in top_keys(metric, start, end, limit).items():
        kind, _sep, object_id = key.rpartition(":")
        items[(kind, object_id)] = total
    return items


class PostsMetric(Metric):
    """Community posts published, by kind."""

    id = "posts"
    label = _("Posts")
    keyed = True

    def key_labels(self, keys):
        kinds = dict(Post.Kind.choices)
        return {key: str(kinds.get(key, key)) for key in keys}


class CommentsMetric(Metric):
    id = "comments"
    label = _("Comments")

    def top_items(self, start, end, limit=50):
        return top_objects("page_comments", start, end, limit)


class ReactionsMetric(Metric):
    """Likes of comments and posts; an item's reactions count its own likes
    and its comments' likes."""

    id = "reactions"
    label = _("Reactions")

    def top_items(self, start, end, limit=50):
        return top_objects("item_reactions", start, end, limit)


def community_metrics():
    return [
        MembersMetric(),
        ContributorsMetric(),
        PostsMetric(),
        CommentsMetric(),
        ReactionsMetric(),
    ]
