"""Share reports: aggregates of the daily counters, for the admin's Shares
report and dashboard panel. Plain functions; the views only present them."""

import datetime
from types import SimpleNamespace

from django.db.models import Q, Sum
from django.utils import timezone

from .models import ShareCount
from .registry import registry

GROUPS = ("platform", "object", "day")


def totals(queryset, group):
    """Rows of {label, shares, visits} grouped by platform, object or day,
    most shared first (by day: newest first). One query, plus one to name the
    pages when grouped by object."""
    fields = {"platform": ["platform"], "object": ["object_kind", "object_id"]}.get(
        group, ["day"]
    )
    rows = (
        queryset.values(*fields)
        .annotate(
            shares=Sum("count", filter=Q(event=ShareCount.SHARE), default=0),
            visits=Sum("count", filter=Q(event=ShareCount.VISIT), default=0),
        )
        .order_by(*(["-day"] if group == "day" else ["-shares", "-visits", *fields]))
    )
    rows = [SimpleNamespace(**row) for row in rows]
    for row in rows:
        if group == "platform":
            platform = registry.get(row.platform)
            row.label = str(platform.name) if platform else row.platform
            row.color = platform.color if platform else "#888"
        elif group == "day":
            row.label = row.day.isoformat()
    if group == "object":
        name_objects(rows)
    return rows


def name_objects(rows):
    """Give rows of pages their title and admin URL in one query; other kinds
    are named "<kind> #<id>"."""
    from django.urls import reverse
    from wagtail.models import Page

    page_ids = [row.object_id for row in rows if row.object_kind == "page"]
    titles = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "title"))
    for row in rows:
        row.label = f"{row.object_kind} #{row.object_id}"
        row.edit_url = ""
        if row.object_kind == "page" and row.object_id in titles:
            row.label = titles[row.object_id]
            row.edit_url = reverse("wagtailadmin_pages:edit", args=[row.object_id])


def recent_by_platform(days_list=(7, 30), site=None):
    """{days: [rows by platform]} for the dashboard: shares and share-driven
    visits per platform over the last 7 and 30 days, from one query."""
    today = timezone.localdate()
    longest = max(days_list)
    queryset = ShareCount.objects.filter(
        day__gt=today - datetime.timedelta(days=longest)
    )
    if site is not None:
        queryset = queryset.filter(site=site)
    filters = {}
    for days in days_list:
        start = today - datetime.timedelta(days=days)
        filters[f"shares_{days}"] = Sum(
            "count", filter=Q(event=ShareCount.SHARE, day__gt=start), default=0
        )
        filters[f"visits_{days}"] = Sum(
            "count", filter=Q(event=ShareCount.VISIT, day__gt=start), default=0
        )
    rows = list(queryset.values("platform").annotate(**filters))
    result = {}
    for days in days_list:
        items = []
        for row in rows:
            shares, visits = row[f"shares_{days}"], row[f"visits_{days}"]
            if shares or visits:
                platform = registry.get(row["platform"])
                items.append(
                    SimpleNamespace(
                        platform=platform,
                        label=str(platform.name) if platform else row["platform"],
                        shares=shares,
                        visits=visits,
                    )
                )
        items.sort(key=lambda item: (-item.shares, -item.visits, item.label))
        result[days] = SimpleNamespace(
            days=days,
            rows=items,
            shares=sum(item.shares for item in items),
            visits=sum(item.visits for item in items),
        )
    return result
