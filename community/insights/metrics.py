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
towards "top pages by engagement"). The overview composes whatever is
installed; no app imports another's metrics.
"""

import datetime

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

HOOK = "register_insights_metrics"
ENGAGEMENT_PERMISSION = "community.view_engagement_report"
LISTENING_PERMISSION = "community.view_listening_report"


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
    if granularity == "week":
        return day - datetime.timedelta(days=day.weekday())
    return day


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
        from community.models import DailyMetric

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
    """Distinct members who commented or reacted: per day from the daily
    total, per week by counting distinct members over the week's rows."""

    id = "contributors"
    label = _("Active contributors")

    def series(self, start, end, granularity="day"):
        if granularity != "week":
            return super().series(start, end, granularity)
        from django.db.models import Count
        from django.db.models.functions import TruncWeek

        from community.models import DailyMetric

        rows = (
            DailyMetric.objects.filter(
                metric="contributor", day__gte=start, day__lte=end
            )
            .annotate(week=TruncWeek("day"))
            .values("week")
            .annotate(members=Count("key", distinct=True))
            .order_by()
        )
        return {(bucket(row["week"], "week"), ""): row["members"] for row in rows}


class CommentsMetric(Metric):
    id = "comments"
    label = _("Comments")

    def top_items(self, start, end, limit=50):
        from community.models import DailyMetric

        rows = (
            DailyMetric.objects.filter(
                metric="page_comments", day__gte=start, day__lte=end
            )
            .values("key")
            .annotate(total=Sum("value"))
            .order_by("-total")[:limit]
        )
        items = {}
        for row in rows:
            kind, _sep, object_id = row["key"].rpartition(":")
            items[(kind, object_id)] = row["total"]
        return items


class ReactionsMetric(Metric):
    id = "reactions"
    label = _("Reactions")


def community_metrics():
    return [MembersMetric(), ContributorsMetric(), CommentsMetric(), ReactionsMetric()]
