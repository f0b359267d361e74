"""The campaigns' metrics for an insights overview (the
``register_insights_metrics`` hook): votes counted and sign-ups through
members' links, per day of the site's time zone. Duck-typed, so campaigns do
not need the insights app."""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.campaigns.models import ReferralSignup, Vote


def _bounds(start, end):
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    last = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return first, last


def _bucket(day, granularity):
    if granularity == "week":
        return day - datetime.timedelta(days=day.weekday())
    return day


class CountMetric:
    permission = "community_insights.view_engagement_report"
    keyed = False
    total = None
    refresh = None
    queryset = None

    def series(self, start, end, granularity="day"):
        first, last = _bounds(start, end)
        rows = (
            self.get_queryset()
            .filter(created_at__gte=first, created_at__lt=last)
            .annotate(
                day=TruncDate("created_at", tzinfo=timezone.get_current_timezone())
            )
            .values("day")
            .annotate(n=Count("pk"))
            .order_by()
        )
        totals = {}
        for row in rows:
            slot = (_bucket(row["day"], granularity), "")
            totals[slot] = totals.get(slot, 0) + row["n"]
        return totals

    def key_labels(self, keys):
        return {key: key for key in keys}

    def top_items(self, start, end, limit=50):
        return {}


class VotesMetric(CountMetric):
    id = "campaign_votes"
    label = _("Campaign votes")

    def get_queryset(self):
        return Vote.objects.filter(voided=False)


class ReferralSignupsMetric(CountMetric):
    id = "referral_signups"
    label = _("Sign-ups through members' links")

    def get_queryset(self):
        return ReferralSignup.objects.all()


def campaign_metrics():
    return [VotesMetric(), ReferralSignupsMetric()]
