"""Sharing's metrics for an insights overview (the
``register_insights_metrics`` hook): shares and share-driven visits by
platform, read from the daily counters and their sums (``sharing.rollups``).
Duck-typed, so sharing does not depend on the app that shows them."""

from django.utils.translation import gettext_lazy as _

from . import rollups
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

    def series(self, start, end, granularity="day"):
        totals = {}
        for (day, platform), count in rollups.per_platform(
            self.event, start, end
        ).items():
            slot = (_bucket(day, granularity), platform)
            totals[slot] = totals.get(slot, 0) + count
        return totals

    def key_labels(self, keys):
        labels = {}
        for key in keys:
            platform = registry.get(key)
            labels[key] = str(platform.name) if platform else key
        return labels

    def top_items(self, start, end, limit=50):
        totals = rollups.per_object(self.event, start, end)
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return {(kind, str(object_id)): count for (kind, object_id), count in ranked}

    def refresh(self, start, end):
        """Sum the closed days and months of [start, end] (the overview's
        nightly aggregation calls this)."""
        rollups.roll_up(start, end)


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
