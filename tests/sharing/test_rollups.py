"""Sums of the share counters over closed days and months: the insights
metrics read the same numbers with or without them, and read the sums, not
the counters, where they exist."""

import datetime
import random

import pytest

from sharing import rollups
from sharing.insights import SharesMetric, VisitsMetric
from sharing.models import ShareCount, ShareDayTotal, ShareMonthTotal

TODAY = datetime.date(2026, 5, 17)
PLATFORMS = ["weibo", "wechat", "x"]


@pytest.fixture
def counters(share_site, page_factory):
    """Random counters for three pages over 140 days up to TODAY."""
    ShareDayTotal.objects.all().delete()
    ShareMonthTotal.objects.all().delete()
    pages = [page_factory(title=f"Tea {n}") for n in range(3)]
    rng = random.Random(11)
    rows = []
    for back in range(140):
        day = TODAY - datetime.timedelta(days=back)
        for page in pages:
            for platform in PLATFORMS:
                for event in (ShareCount.SHARE, ShareCount.VISIT):
                    if rng.random() < 0.4:
                        rows.append(
                            ShareCount(
                                day=day,
                                site=share_site,
                                event=event,
                                platform=platform,
                                object_kind="page",
                                object_id=page.pk,
                                count=rng.randrange(1, 9),
                            )
                        )
    ShareCount.objects.bulk_create(rows)
    return pages


def raw_totals(event, start, end, key):
    """Counters summed in Python, by `key(row)`: what the sums must equal."""
    totals = {}
    for row in ShareCount.objects.filter(event=event, day__gte=start, day__lte=end):
        totals[key(row)] = totals.get(key(row), 0) + row.count
    return totals


def raw_per_platform(event, start, end):
    return raw_totals(event, start, end, lambda row: (row.day, row.platform))


def raw_per_object(event, start, end):
    return raw_totals(event, start, end, lambda row: (row.object_kind, row.object_id))


RANGES = [
    (TODAY - datetime.timedelta(days=139), TODAY),
    (datetime.date(2026, 2, 1), datetime.date(2026, 4, 30)),
    (datetime.date(2026, 2, 14), datetime.date(2026, 5, 3)),
    (datetime.date(2026, 3, 5), datetime.date(2026, 3, 9)),
    (datetime.date(2026, 5, 1), TODAY),
]


def test_sums_cover_closed_days_and_months_only(counters):
    rollups.roll_up(TODAY - datetime.timedelta(days=139), TODAY, today=TODAY)
    days = set(ShareDayTotal.objects.values_list("day", flat=True))
    assert max(days) == TODAY - datetime.timedelta(days=1)  # today is still open
    assert len(days) == 139
    months = set(ShareMonthTotal.objects.values_list("month", flat=True))
    # December 2025 (part of it) to April 2026; May is not over.
    assert months == {datetime.date(2025, 12, 1)} | {
        datetime.date(2026, m, 1) for m in range(1, 5)
    }
    april = ShareMonthTotal.objects.filter(
        month=datetime.date(2026, 4, 1), event="share"
    ).exclude(object_kind="")
    assert {(row.object_kind, row.object_id): row.count for row in april} == (
        raw_per_object("share", datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    )


@pytest.mark.parametrize("summed", [False, True])
def test_metrics_read_the_same_numbers_with_or_without_sums(counters, summed):
    if summed:
        rollups.roll_up(TODAY - datetime.timedelta(days=139), TODAY, today=TODAY)
    for metric in (SharesMetric(), VisitsMetric()):
        for start, end in RANGES:
            assert rollups.per_platform(metric.event, start, end) == (
                raw_per_platform(metric.event, start, end)
            ), (start, end)
            assert rollups.per_object(metric.event, start, end) == (
                raw_per_object(metric.event, start, end)
            ), (start, end)


def merged(*totals):
    result = {}
    for part in totals:
        for key, value in part.items():
            result[key] = result.get(key, 0) + value
    return result


def test_summed_periods_are_read_from_the_sums(counters):
    rollups.roll_up(TODAY - datetime.timedelta(days=139), TODAY, today=TODAY)
    start, end = datetime.date(2026, 2, 10), TODAY
    expected_platforms = raw_per_platform("share", start, end)
    # Whole months (March, April) come from their sums; the cut February and
    # the open May from the counters.
    expected_objects = merged(
        raw_per_object("share", datetime.date(2026, 3, 1), datetime.date(2026, 4, 30)),
        raw_per_object("share", TODAY, TODAY),
    )
    # Drop every counter but today's: the summed days and months still count.
    ShareCount.objects.filter(day__lt=TODAY).delete()
    assert rollups.per_platform("share", start, end) == expected_platforms
    assert rollups.per_object("share", start, end) == expected_objects


def test_the_nightly_insights_aggregation_sums_the_shares(counters):
    from django.utils import timezone

    from community.insights.aggregates import refresh_range

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ShareCount.objects.create(
        day=yesterday,
        site=counters[0].get_site(),
        event="share",
        platform="douyin",
        object_kind="page",
        object_id=counters[0].pk,
        count=4,
    )
    refresh_range(yesterday, yesterday)
    total = ShareDayTotal.objects.get(day=yesterday, event="share", platform="douyin")
    assert total.count == 4
