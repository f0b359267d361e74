"""The events app's metrics for the insights overview (the
``register_insights_metrics`` hook): registrations per day, keyed by what
became of them. Duck-typed (see `community.insights.metrics.Metric`), so
events do not depend on the insights app; read from the registrations
themselves, nothing to aggregate."""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.events.models import Registration


class RegistrationsMetric:
    id = "event_registrations"
    label = _("Event registrations")
    permission = "community_insights.view_engagement_report"
    keyed = True
    total = None
    refresh = None

    def series(self, start, end, granularity="day"):
        tz = timezone.get_current_timezone()
        since = datetime.datetime.combine(start, datetime.time.min, tz)
        until = datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tz
        )
        rows = (
            Registration.objects.filter(created_at__gte=since, created_at__lt=until)
            .annotate(day=TruncDate("created_at", tzinfo=tz))
            .values("day", "status")
            .annotate(count=Count("pk"))
            .order_by()
        )
        totals = {}
        for row in rows:
            day = row["day"]
            if granularity == "week":
                day -= datetime.timedelta(days=day.weekday())
            slot = (day, row["status"])
            totals[slot] = totals.get(slot, 0) + row["count"]
        return totals

    def key_labels(self, keys):
        labels = dict(Registration.Status.choices)
        return {key: str(labels.get(key, key)) for key in keys}

    def top_items(self, start, end, limit=50):
        return {}


def metrics():
    return [RegistrationsMetric()]
