"""Sharing's metrics for an insights overview (the
``register_insights_metrics`` hook): shares and share-driven visits by
platform, read from the daily ShareCount rows. Duck-typed, so sharing does not
depend on the app that shows them."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from .models import ShareCount
from .registry import registry


def _bucket(day, granularity):
    import datetime

    if granularity == "week":
        return day - datetime.timedelta(days=day.weekday())
    return day


class ShareCountMetric:
    event = ShareCount.SHARE
    permission = "sharing.view_share_reports"
    keyed = True

    def _rows(self, start, end):
        return ShareCount.objects.filter(event=self.event, day__gte=start, day__lte=end)

    def series(self, start, end, granularity="day"):
        totals = {}
        rows = self._rows(start, end).values("day", "platform").annotate(n=Sum("count"))
        for row in rows.order_by():
            slot = (_bucket(row["day"], granularity), row["platform"])
            totals[slot] = totals.get(slot, 0) + row["n"]
        return totals

    def key_labels(self, keys):
        labels = {}
        for key in keys:
            platform = registry.get(key)
            labels[key] = str(platform.name) if platform else key
        return labels

    def top_items(self, start, end, limit=50):
        rows = (
            self._rows(start, end)
            .values("object_kind", "object_id")
            .annotate(n=Sum("count"))
            .order_by("-n")[:limit]
        )
        return {(row["object_kind"], str(row["object_id"])): row["n"] for row in rows}


class SharesMetric(ShareCountMetric):
    id = "shares"
    label = _("Shares")
    event = ShareCount.SHARE


class VisitsMetric(ShareCountMetric):
    id = "share_visits"
    label = _("Share-driven visits")
    event = ShareCount.VISIT


def sharing_metrics():
    return [SharesMetric(), VisitsMetric()]
