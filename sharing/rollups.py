"""Sums of the daily share counters for reports over long ranges.

`ShareCount` holds one row per day, platform and object, so a year of a busy
site is millions of rows. Once a day is over its counters no longer change
(the share endpoint counts into the current local day), so a nightly job sums
each closed day per platform (`ShareDayTotal`) and each closed month per
object (`ShareMonthTotal`). Readers take the sums where they exist and the
counters for the rest: the current month, and any day the job has not summed
yet, so numbers are exact whether or not the job ran.

Only the insights metrics read the sums (`sharing.insights`), and the
overview's nightly aggregation writes them through the metrics' `refresh`.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from . import counters
from .models import ShareCount, ShareDayTotal, ShareMonthTotal

EVENTS = (ShareCount.SHARE, ShareCount.VISIT)


def next_month(first):
    return (first + datetime.timedelta(days=32)).replace(day=1)


def days_between(start, end):
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def whole_months(start, end):
    """First days of the calendar months that lie wholly in [start, end]."""
    month = start if start.day == 1 else next_month(start)
    months = []
    while next_month(month) - datetime.timedelta(days=1) <= end:
        months.append(month)
        month = next_month(month)
    return months


#: How many closed months back `roll_up` looks for months never summed (a
#: missed night on the first of a month).
CATCH_UP_MONTHS = 3


def roll_up(start, end, today=None):
    """Sum the closed days in [start, end] and the closed months they fall
    in (a month is closed when its last day is), plus recent closed months
    that were never summed."""
    today = today or timezone.localdate()
    end = min(end, today - datetime.timedelta(days=1))
    # Closed days may still have counts waiting in Redis (a click just before
    # midnight, a flush that has not run yet).
    counters.flush_quietly()
    months = set()
    if start <= end:
        for day in days_between(start, end):
            retried(roll_up_day, day)
        month = start.replace(day=1)
        while month <= end:
            months.add(month)
            month = next_month(month)
    month = today.replace(day=1)
    for _n in range(CATCH_UP_MONTHS):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        if not ShareMonthTotal.objects.filter(month=month, object_kind="").exists():
            months.add(month)
    for month in sorted(months):
        if next_month(month) <= today:
            retried(roll_up_month, month)


def retried(roll, period):
    """Run a roll-up again if a concurrent run of the same period inserted
    the same rows first."""
    for attempt in range(2):
        try:
            return roll(period)
        except IntegrityError:
            if attempt:
                raise


def roll_up_day(day):
    rows = (
        ShareCount.objects.filter(day=day)
        .values("event", "platform")
        .annotate(total=Sum("count"))
        .order_by()
    )
    totals = [
        ShareDayTotal(day=day, event=row["event"], platform=row["platform"], count=n)
        for row in rows
        if (n := row["total"])
    ]
    totals += [ShareDayTotal(day=day, event=event, platform="") for event in EVENTS]
    with transaction.atomic():
        ShareDayTotal.objects.filter(day=day).delete()
        ShareDayTotal.objects.bulk_create(totals)


def roll_up_month(first):
    last = next_month(first) - datetime.timedelta(days=1)
    rows = (
        ShareCount.objects.filter(day__gte=first, day__lte=last)
        .values("event", "object_kind", "object_id")
        .annotate(total=Sum("count"))
        .order_by()
    )
    totals = [
        ShareMonthTotal(
            month=first,
            event=row["event"],
            object_kind=row["object_kind"],
            object_id=row["object_id"],
            count=n,
        )
        for row in rows.iterator(chunk_size=5000)
        if (n := row["total"])
    ]
    totals += [ShareMonthTotal(month=first, event=event) for event in EVENTS]
    with transaction.atomic():
        ShareMonthTotal.objects.filter(month=first).delete()
        ShareMonthTotal.objects.bulk_create(totals, batch_size=5000)


def per_platform(event, start, end):
    """{(day, platform): count} of an event over [start, end]."""
    totals, summed = {}, set()
    rows = ShareDayTotal.objects.filter(event=event, day__gte=start, day__lte=end)
    for day, platform, count in rows.values_list("day", "platform", "count"):
        summed.add(day)
        if platform:
            totals[(day, platform)] = count
    rest = [day for day in days_between(start, end) if day not in summed]
    if rest:
        counters = (
            ShareCount.objects.filter(event=event, day__in=rest)
            .values("day", "platform")
            .annotate(total=Sum("count"))
            .order_by()
        )
        for row in counters:
            slot = (row["day"], row["platform"])
            totals[slot] = totals.get(slot, 0) + row["total"]
    return totals


def per_object(event, start, end):
    """{(kind, object id): count} of an event over [start, end]."""
    totals = {}
    months = set(
        ShareMonthTotal.objects.filter(
            event=event, object_kind="", month__in=whole_months(start, end)
        ).values_list("month", flat=True)
    )
    rows = (
        ShareMonthTotal.objects.filter(event=event, month__in=months)
        .exclude(object_kind="")
        .values("object_kind", "object_id")
        .annotate(total=Sum("count"))
        .order_by()
    )
    for row in rows:
        totals[(row["object_kind"], row["object_id"])] = row["total"]
    rest = Q(pk__in=[])
    for first, last in spans_outside(start, end, sorted(months)):
        rest |= Q(day__gte=first, day__lte=last)
    counters = (
        ShareCount.objects.filter(rest, event=event)
        .values("object_kind", "object_id")
        .annotate(total=Sum("count"))
        .order_by()
    )
    for row in counters:
        key = (row["object_kind"], row["object_id"])
        totals[key] = totals.get(key, 0) + row["total"]
    return totals


def spans_outside(start, end, months):
    """[start, end] minus the given (sorted) months, as (first, last) spans."""
    spans, first = [], start
    for month in months:
        if first < month:
            spans.append((first, month - datetime.timedelta(days=1)))
        first = next_month(month)
    if first <= end:
        spans.append((first, end))
    return spans
