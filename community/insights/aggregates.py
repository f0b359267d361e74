"""Daily aggregates of the community's activity (community.DailyMetric).

A day is a calendar day in the site's time zone (TIME_ZONE). Each day's rows
are recomputed from that day's raw rows only (indexed on their dates): by the
write paths (signals enqueue a refresh of the touched days) and by the
``aggregate_insights`` task that a cron job runs for recent days. Reports
never scan raw events.
"""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django_tasks import task

METRICS = (
    "members",
    "contributors",
    "contributor",
    "comments",
    "reactions",
    "page_comments",
    "mentions",
)


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
    """ "page:<id>" for any Wagtail page, "<app>.<model>:<id>" otherwise
    (ContentType.objects caches the lookup)."""
    from wagtail.models import Page

    content_type = ContentType.objects.get_for_id(content_type_id)
    model = content_type.model_class()
    if model is not None and issubclass(model, Page):
        return f"page:{object_pk}"
    return f"{content_type.app_label}.{content_type.model}:{object_pk}"


def compute_day(day):
    """The DailyMetric rows of one day, computed from its raw rows."""
    from community.models import Comment, CommentReaction, DailyMetric, Mention

    start, end = day_bounds(day)
    rows = {}

    def add(metric, key, value):
        if value:
            rows[(metric, key)] = rows.get((metric, key), 0) + value

    comments = Comment.objects.filter(
        submit_date__gte=start, submit_date__lt=end
    ).exclude(state__in=[Comment.State.SPAM, Comment.State.REMOVED])
    per_page = comments.values("content_type_id", "object_pk").annotate(n=Count("pk"))
    for row in per_page.order_by():
        add("comments", "", row["n"])
        add(
            "page_comments",
            object_key(row["content_type_id"], row["object_pk"]),
            row["n"],
        )
    contributors = {}
    per_user = (
        comments.filter(user__isnull=False, is_official=False)
        .values("user_id")
        .annotate(n=Count("pk"))
    )
    for row in per_user.order_by():
        contributors[row["user_id"]] = contributors.get(row["user_id"], 0) + row["n"]
    reactions = CommentReaction.objects.filter(
        created_at__gte=start, created_at__lt=end
    )
    for row in reactions.values("user_id").annotate(n=Count("pk")).order_by():
        add("reactions", "", row["n"])
        contributors[row["user_id"]] = contributors.get(row["user_id"], 0) + row["n"]
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
        from allauth.socialaccount.models import SocialAccount

        for user_id, provider in SocialAccount.objects.filter(
            user_id__in=joined
        ).values_list("user_id", "provider"):
            providers.setdefault(user_id, provider)
    for user_id in joined:
        add("members", providers.get(user_id, "email"), 1)

    mentions = Mention.objects.filter(created_at__gte=start, created_at__lt=end)
    for row in (
        mentions.values("group_id", "sentiment").annotate(n=Count("pk")).order_by()
    ):
        add("mentions", f"{row['group_id']}:{row['sentiment']}", row["n"])

    return [
        DailyMetric(day=day, metric=metric, key=key, value=value)
        for (metric, key), value in rows.items()
    ]


def refresh_day(day):
    """Replace the day's community aggregates, atomically (retried once if a
    concurrent refresh of the same day won the race)."""
    from community.models import DailyMetric

    for attempt in range(2):
        try:
            with transaction.atomic():
                DailyMetric.objects.filter(day=day, metric__in=METRICS).delete()
                DailyMetric.objects.bulk_create(compute_day(day))
            return
        except IntegrityError:
            if attempt:
                raise


def refresh_range(start, end):
    day = start
    while day <= end:
        refresh_day(day)
        day += datetime.timedelta(days=1)


@task()
def refresh_insights_days(days):
    """Recompute the aggregates of the given ISO days (the write paths)."""
    for day in sorted(set(days)):
        refresh_day(datetime.date.fromisoformat(day))


@task()
def aggregate_insights(start, end):
    """Recompute the aggregates of every day from `start` to `end` (ISO
    dates): the nightly catch-up, and the first fill after an import."""
    refresh_range(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))


def schedule_refresh(*moments):
    """Enqueue a refresh of the local days of these datetimes or dates."""
    days = set()
    for moment in moments:
        if moment is None:
            continue
        day = moment if not isinstance(moment, datetime.datetime) else local_day(moment)
        days.add(day.isoformat())
    if days:
        refresh_insights_days.enqueue(sorted(days))
