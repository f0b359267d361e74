"""Daily aggregates of the community's activity (insights' DailyMetric).

A day is a calendar day in the site's time zone (TIME_ZONE). Each day's rows
are recomputed from that day's raw rows only (indexed on their dates): by the
write paths (signals enqueue a refresh of the touched days) and by the
``aggregate_insights`` task that a cron job runs for recent days. Reports
never scan raw events.

The per-key metrics that reports sum over long ranges (each member's
contributions, each item's comments and reactions) are also kept per week and
per month: a year's top contributors then read 11 or 12 monthly rows per
member, a few weekly ones and at most 12 days at each edge (``range_rows``),
not 365 daily rows per member. A write-path refresh moves the week's and the
month's sums by the change of its day's rows, in the same transaction (a few
rows); the range refresh (nightly, imports) recomputes them from the day rows.
"""

import datetime
import threading

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from community.comments.models import Comment, CommentReaction
from community.insights.models import DailyMetric, Mention
from community.insights.registry import all_metrics
from community.insights.rollups import METRICS as LISTENING_METRICS
from community.insights.rollups import listening_rows
from community.posts.models import Post, PostReaction

METRICS = (
    "members",
    "contributors",
    "contributor",
    "comments",
    "posts",
    "reactions",
    "page_comments",
    "item_reactions",
    "mentions",
    *LISTENING_METRICS,
)
#: Per-key metrics also summed per week and per month ("<metric>/week" rows
#: on Mondays, "<metric>/month" rows on the first of the month).
ROLLED_UP = (
    "contributor",
    "page_comments",
    "item_reactions",
    "listening",
    "listening_terms",
)
WEEK, MONTH = "week", "month"


def day_bounds(day):
    """[start, end) of a local calendar day as aware datetimes."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()), zone)
    following = day + datetime.timedelta(days=1)
    end = timezone.make_aware(
        datetime.datetime.combine(following, datetime.time()), zone
    )
    return start, end


def local_day(moment):
    return timezone.localdate(moment)


def object_key(content_type_id, object_pk):
    """ "page:<id>" for any Wagtail page, "post:<id>" for a community post (the
    kinds sharing's counters use too, so a page's comments and shares add
    up), "<app>.<model>:<id>" otherwise (ContentType.objects caches the
    lookup)."""
    content_type = ContentType.objects.get_for_id(content_type_id)
    model = content_type.model_class()
    if model is not None and issubclass(model, Page):
        return f"page:{object_pk}"
    if model is not None and issubclass(model, Post):
        return f"post:{object_pk}"
    return f"{content_type.app_label}.{content_type.model}:{object_pk}"


def week_of(day):
    return day - datetime.timedelta(days=day.weekday())


def month_of(day):
    return day.replace(day=1)


def next_month(first):
    return (first + datetime.timedelta(days=32)).replace(day=1)


def period_last_day(first, period):
    if period == WEEK:
        return first + datetime.timedelta(days=6)
    return next_month(first) - datetime.timedelta(days=1)


def split_range(start, end):
    """Cover [start, end] exactly once with whole calendar months, whole
    weeks (Monday to Sunday) and single-day spans: returns (months, weeks,
    spans), months and weeks by their first day, spans as (first, last)."""
    months, weeks, spans = [], [], []

    def weeks_and_days(first, last):
        if first > last:
            return
        monday = first + datetime.timedelta(days=-first.weekday() % 7)
        day = monday
        while day + datetime.timedelta(days=6) <= last:
            weeks.append(day)
            day += datetime.timedelta(days=7)
        if day == monday:  # no whole week inside
            spans.append((first, last))
            return
        if first < monday:
            spans.append((first, monday - datetime.timedelta(days=1)))
        if day <= last:
            spans.append((day, last))

    month = start if start.day == 1 else next_month(start)
    inside = month
    while inside <= end and period_last_day(inside, MONTH) <= end:
        months.append(inside)
        inside = next_month(inside)
    if months:
        weeks_and_days(start, months[0] - datetime.timedelta(days=1))
        weeks_and_days(inside, end)
    else:
        weeks_and_days(start, end)
    return months, weeks, spans


def range_rows(metric, start, end):
    """The DailyMetric rows of a ROLLED_UP `metric` that cover [start, end]
    exactly once (sum or count their keys)."""
    months, weeks, spans = split_range(start, end)
    condition = Q(pk__in=[])
    if months:
        condition |= Q(metric=f"{metric}/{MONTH}", day__in=months)
    if weeks:
        condition |= Q(metric=f"{metric}/{WEEK}", day__in=weeks)
    for first, last in spans:
        condition |= Q(metric=metric, day__gte=first, day__lte=last)
    return DailyMetric.objects.filter(condition)


def refresh_rollups(days):
    """Recompute the weekly and monthly rows of the weeks and months of these
    days from their day rows (one INSERT … SELECT each)."""
    periods = {(WEEK, week_of(day)) for day in days}
    periods |= {(MONTH, month_of(day)) for day in days}
    connection = connections[router.db_for_write(DailyMetric)]
    table = connection.ops.quote_name(DailyMetric._meta.db_table)
    day_column, metric_column, key_column, value_column = (
        connection.ops.quote_name(DailyMetric._meta.get_field(name).column)
        for name in ("day", "metric", "key", "value")
    )
    insert = (
        f"INSERT INTO {table} ({day_column}, {metric_column}, {key_column}, "  # noqa: S608 (our names)
        f"{value_column}) SELECT %s, %s, {key_column}, SUM({value_column}) "
        f"FROM {table} WHERE {metric_column} = %s AND {day_column} >= %s "
        f"AND {day_column} <= %s GROUP BY {key_column}"
    )
    adapt = connection.ops.adapt_datefield_value
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for period, first in sorted(periods):
            last = period_last_day(first, period)
            DailyMetric.objects.filter(
                day=first, metric__in=[f"{m}/{period}" for m in ROLLED_UP]
            ).delete()
            for metric in ROLLED_UP:
                cursor.execute(
                    insert,
                    [
                        adapt(first),
                        f"{metric}/{period}",
                        metric,
                        adapt(first),
                        adapt(last),
                    ],
                )


def compute_day(day):
    """The DailyMetric rows of one day, computed from its raw rows."""
    start, end = day_bounds(day)
    rows = {}

    def add(metric, key, value):
        if value:
            rows[(metric, key)] = rows.get((metric, key), 0) + value

    contributors = {}

    def contributed(user_id, value):
        contributors[user_id] = contributors.get(user_id, 0) + value

    comments = Comment.objects.filter(
        submit_date__gte=start, submit_date__lt=end
    ).exclude(state__in=Comment.HIDDEN_STATES)
    per_page = comments.values("content_type_id", "object_pk").annotate(n=Count("pk"))
    for row in per_page.order_by():
        add("comments", "", row["n"])
        add(
            "page_comments",
            object_key(row["content_type_id"], row["object_pk"]),
            row["n"],
        )
    per_user = (
        comments.filter(user__isnull=False, is_official=False)
        .values("user_id")
        .annotate(n=Count("pk"))
    )
    for row in per_user.order_by():
        contributed(row["user_id"], row["n"])

    posts = Post.objects.filter(
        state=Post.State.PUBLISHED, published_at__gte=start, published_at__lt=end
    )
    for row in posts.values("kind").annotate(n=Count("pk")).order_by():
        add("posts", row["kind"], row["n"])
    by_author = posts.filter(author__isnull=False).values("author_id")
    for row in by_author.annotate(n=Count("pk")).order_by():
        contributed(row["author_id"], row["n"])

    comment_reactions = (
        CommentReaction.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("user_id", "comment__content_type_id", "comment__object_pk")
        .annotate(n=Count("pk"))
    )
    for row in comment_reactions.order_by():
        add("reactions", "", row["n"])
        add(
            "item_reactions",
            object_key(row["comment__content_type_id"], row["comment__object_pk"]),
            row["n"],
        )
        contributed(row["user_id"], row["n"])
    post_reactions = (
        PostReaction.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("user_id", "post_id")
        .annotate(n=Count("pk"))
    )
    for row in post_reactions.order_by():
        add("reactions", "", row["n"])
        add("item_reactions", f"post:{row['post_id']}", row["n"])
        contributed(row["user_id"], row["n"])

    add("contributors", "", len(contributors))
    for user_id, value in contributors.items():
        add("contributor", str(user_id), value)

    joined = list(
        get_user_model()
        .objects.filter(date_joined__gte=start, date_joined__lt=end)
        .values_list("pk", flat=True)
    )
    providers = {}
    if joined and apps.is_installed("allauth.socialaccount"):
        accounts = apps.get_model("socialaccount", "SocialAccount").objects
        for user_id, provider in accounts.filter(user_id__in=joined).values_list(
            "user_id", "provider"
        ):
            providers.setdefault(user_id, provider)
    for user_id in joined:
        add("members", providers.get(user_id, "email"), 1)

    mentions = Mention.objects.filter(created_at__gte=start, created_at__lt=end)
    for row in (
        mentions.values("group_id", "sentiment").annotate(n=Count("pk")).order_by()
    ):
        add("mentions", f"{row['group_id']}:{row['sentiment']}", row["n"])
    for (metric, key), value in listening_rows(start, end).items():
        add(metric, key, value)

    return [
        DailyMetric(day=day, metric=metric, key=key, value=value)
        for (metric, key), value in rows.items()
    ]


def refresh_day(day, *, rollups=True):
    """Replace the day's community aggregates atomically (retried once if a
    concurrent refresh of the same day won the race). With `rollups`, the
    week's and the month's sums move by the change of the day's rows, in the
    same transaction."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                lock_day(day)
                old = DailyMetric.objects.filter(day=day, metric__in=METRICS)
                before = {
                    (metric, key): value
                    for metric, key, value in old.filter(
                        metric__in=ROLLED_UP
                    ).values_list("metric", "key", "value")
                }
                old.delete()
                rows = compute_day(day)
                DailyMetric.objects.bulk_create(rows)
                if rollups:
                    after = {
                        (row.metric, row.key): row.value
                        for row in rows
                        if row.metric in ROLLED_UP
                    }
                    shift_rollups(day, before, after)
            return
        except IntegrityError:
            if attempt:
                raise


#: pg_advisory_xact_lock's first key for "refreshing a day's insights".
LOCK_NAMESPACE = 0x1A5B


def lock_day(day):
    """Serialise refreshes of one day (PostgreSQL; SQLite has one writer at a
    time anyway), so two of them cannot both move the week's and month's sums
    by the same change."""
    connection = connections[router.db_for_write(DailyMetric)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [LOCK_NAMESPACE, day.toordinal()],
            )


def shift_rollups(day, before, after):
    """Add the change of a day's ROLLED_UP rows to its week's and month's."""
    changes = {
        slot: after.get(slot, 0) - before.get(slot, 0)
        for slot in before.keys() | after.keys()
        if after.get(slot, 0) != before.get(slot, 0)
    }
    for period, first in ((WEEK, week_of(day)), (MONTH, month_of(day))):
        for (metric, key), change in sorted(changes.items()):
            name = f"{metric}/{period}"
            rows = DailyMetric.objects.filter(day=first, metric=name, key=key)
            if not rows.update(value=F("value") + change) and change > 0:
                DailyMetric.objects.create(
                    day=first, metric=name, key=key, value=change
                )
            elif change < 0:
                rows.filter(value__lte=0).delete()


def refresh_days(days):
    """Refresh these days (the write paths), with their weeks and months."""
    for day in sorted(set(days)):
        refresh_day(day)


def refresh_range(start, end):
    """Recompute every day from `start` to `end`, then let the other apps'
    metrics refresh their own sums (those with a ``refresh(start, end)``,
    e.g. sharing's closed days and months)."""
    days = []
    day = start
    while day <= end:
        refresh_day(day, rollups=False)
        days.append(day)
        day += datetime.timedelta(days=1)
    for attempt in range(2):
        try:
            refresh_rollups(days)
            break
        except IntegrityError:
            if attempt:
                raise
    refreshed = set()
    for metric in all_metrics():
        refresh = getattr(type(metric), "refresh", None)
        if refresh is not None and refresh not in refreshed:
            refreshed.add(refresh)
            metric.refresh(start, end)


@task()
def refresh_insights_days(days):
    """Recompute the aggregates of the given ISO days (the write paths)."""
    refresh_days(datetime.date.fromisoformat(day) for day in days)


@task()
def aggregate_insights(start, end):
    """Recompute the aggregates of every day from `start` to `end` (ISO
    dates): the nightly catch-up, and the first fill after an import."""
    refresh_range(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))


_pending = threading.local()


def schedule_refresh(*moments):
    """Refresh the local days of these datetimes or dates once the current
    transaction commits, each day once: a cascade (an account's likes
    deleted with it) refreshes its days once, and a like's transaction stays
    short. (The first callback after a commit takes every pending day; days
    left by a rolled-back transaction only cost one more refresh later.)"""
    days = set()
    for moment in moments:
        if moment is None:
            continue
        day = moment if not isinstance(moment, datetime.datetime) else local_day(moment)
        days.add(day.isoformat())
    if not days:
        return
    pending_days().update(days)
    transaction.on_commit(enqueue_pending_refresh)


def pending_days():
    if not hasattr(_pending, "days"):
        _pending.days = set()
    return _pending.days


def enqueue_pending_refresh():
    days = sorted(pending_days())
    _pending.days = set()
    if days:
        refresh_insights_days.enqueue(days)
