"""The insights extension point.

An app contributes metrics with the ``register_insights_metrics`` Wagtail
hook, returning a list of objects that quack like :class:`Metric`::

    @hooks.register("register_insights_metrics")
    def register_metrics():
        return [SharesMetric(), VisitsMetric()]

A metric has an ``id``, a ``label``, the ``permission`` an editor needs to see
it, ``series(start, end)`` (``{(day, key): value}`` from daily aggregates, key
"" when the metric is not split), ``key_labels(keys)`` and optionally
``top_items(start, end, limit)`` (``{(kind, object id): value}``, counted
towards "top pages and posts by engagement") and ``refresh(start, end)``
(called by the nightly aggregation, to keep the metric's own sums). The
overview composes whatever is installed; no app imports another's metrics.
"""

import datetime

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from community.insights.aggregates import week_of

HOOK = "register_insights_metrics"
ENGAGEMENT_PERMISSION = "community_insights.view_engagement_report"
LISTENING_PERMISSION = "community_insights.view_listening_report"


def all_metrics():
    """Every registered metric, once, in registration order."""
    metrics, seen = [], set()
    for register in hooks.get_hooks(HOOK):
        for metric in register():
            if metric.id not in seen:
                seen.add(metric.id)
                metrics.append(metric)
    return metrics


def metrics_for(user):
    return [m for m in all_metrics() if user.has_perm(m.permission)]


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
    """A metric read from community.DailyMetric rows named `id` (or `source`)."""

    id = ""
    source = ""
    label = ""
    permission = ENGAGEMENT_PERMISSION
    keyed = False

    def rows(self, start, end):
        from community.insights.models import DailyMetric

        return DailyMetric.objects.filter(
            metric=self.source or self.id, day__gte=start, day__lte=end
        )

    def series(self, start, end, granularity="day"):
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


class MembersMetric(Metric):
    id = "members"
    label = _("New members")
    keyed = True

    def key_labels(self, keys):
        from allauth.socialaccount import providers

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
    of a week the range cuts)."""

    id = "contributors"
    label = _("Active contributors")

    def series(self, start, end, granularity="day"):
        if granularity != "week":
            return super().series(start, end, granularity)
        from django.db.models import Count

        from community.insights.aggregates import WEEK
        from community.insights.models import DailyMetric

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


def distinct_keys(metric, start, end):
    """How many distinct keys a rolled-up metric has over [start, end] (e.g.
    distinct contributors)."""
    from community.insights.aggregates import range_rows

    return range_rows(metric, start, end).values("key").distinct().count()


def top_keys(metric, start, end, limit):
    """{key: total} of a rolled-up metric's largest keys over [start, end]."""
    from community.insights.aggregates import range_rows

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
        from community.posts.models import Post

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
