"""Insights over long ranges (weekly and monthly sums of the per-key metrics)
and community posts as an insights metric: posts, likes, contributors, top
items, listening and the moderation panel."""

import datetime
import random

from django.db.models import Sum
from django.utils import timezone

from community.comments.models import Comment
from community.insights import aggregates, reports
from community.insights.aggregates import split_range
from community.insights.models import DailyMetric, KeywordGroup, Mention
from community.insights.signals import rescan_mentions
from community.posts.models import Post, PostReaction
from tests.community.insights.insights_helpers import (
    comment_at,
    editor_with,
    local_noon,
    post_at,
    superuser,
    utc,
)
from tests.factories import MemberFactory, PostFactory

# Splitting a range ---------------------------------------------------------


def covered_days(months, weeks, spans):
    days = []
    for first in months:
        last = aggregates.period_last_day(first, aggregates.MONTH)
        days += [first + datetime.timedelta(n) for n in range((last - first).days + 1)]
    for monday in weeks:
        days += [monday + datetime.timedelta(n) for n in range(7)]
    for first, last in spans:
        days += [first + datetime.timedelta(n) for n in range((last - first).days + 1)]
    return days


def test_split_range_covers_every_day_once():
    rng = random.Random(7)
    base = datetime.date(2025, 12, 20)
    for _case in range(400):
        start = base + datetime.timedelta(rng.randrange(120))
        end = start + datetime.timedelta(rng.randrange(420))
        months, weeks, spans = split_range(start, end)
        days = covered_days(months, weeks, spans)
        expected = [
            start + datetime.timedelta(n) for n in range((end - start).days + 1)
        ]
        assert sorted(days) == expected, (start, end)
        assert all(first.day == 1 for first in months)
        assert all(monday.weekday() == 0 for monday in weeks)
        # Single days only where no whole week fits: fewer than 12 days
        # before and after the whole months.
        assert sum((last - first).days + 1 for first, last in spans) <= 24
        assert all((last - first).days < 12 for first, last in spans)


def test_split_range_of_a_year():
    date = datetime.date
    # Saturday 2025-11-22 to Saturday 2026-11-21.
    months, weeks, spans = split_range(date(2025, 11, 22), date(2026, 11, 21))
    assert months == [date(2025, 12, 1)] + [date(2026, m, 1) for m in range(1, 11)]
    assert weeks == [date(2025, 11, 24), date(2026, 11, 2), date(2026, 11, 9)]
    assert spans == [
        (date(2025, 11, 22), date(2025, 11, 23)),
        (date(2026, 11, 1), date(2026, 11, 1)),
        (date(2026, 11, 16), date(2026, 11, 21)),
    ]


# Long ranges read the same numbers as the day rows -------------------------


def test_long_range_totals_match_the_day_rows(page):
    members = [MemberFactory() for _n in range(4)]
    start, end = datetime.date(2026, 1, 13), datetime.date(2026, 4, 9)
    rng = random.Random(3)
    day, expected = start, {}
    while day <= end:
        for member in rng.sample(members, rng.randrange(3)):
            comment_at(page, local_noon(day), user=member)
            expected[member.pk] = expected.get(member.pk, 0) + 1
        day += datetime.timedelta(days=1)
    aggregates.refresh_range(start, end)

    # Rolled-up rows exist and hold the sums of their days.
    february = DailyMetric.objects.get(
        metric="page_comments/month", day=datetime.date(2026, 2, 1)
    )
    february_days = DailyMetric.objects.filter(
        metric="page_comments",
        day__gte=datetime.date(2026, 2, 1),
        day__lte=datetime.date(2026, 2, 28),
    ).aggregate(total=Sum("value"))["total"]
    assert february.value == february_days

    editor = superuser()
    for first, last in [
        (start, end),
        (datetime.date(2026, 1, 20), datetime.date(2026, 3, 1)),
        (datetime.date(2026, 2, 3), datetime.date(2026, 2, 5)),
        (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)),
    ]:
        in_range = Comment.objects.filter(
            submit_date__gte=aggregates.day_bounds(first)[0],
            submit_date__lt=aggregates.day_bounds(last)[1],
        )
        per_member = {}
        for user_id in in_range.values_list("user_id", flat=True):
            per_member[user_id] = per_member.get(user_id, 0) + 1
        report = reports.engagement(editor, first, last, "week")
        top = {row.user.pk: row.total for row in report.top_contributors}
        assert top == per_member, (first, last)
        by_id = {metric.id: metric for metric in report.metrics}
        assert by_id["contributors"].total == len(per_member)
        assert report.top_items.rows[0].total == in_range.count()
        # Weekly distinct contributors: whole weeks from the weekly rows,
        # the weeks the range cuts from their days inside the range.
        for index, monday in enumerate(report.buckets):
            first_day = max(monday, first)
            last_day = min(monday + datetime.timedelta(days=6), last)
            week = in_range.filter(
                submit_date__gte=aggregates.day_bounds(first_day)[0],
                submit_date__lt=aggregates.day_bounds(last_day)[1],
            )
            assert by_id["contributors"].values[index] == (
                week.values("user_id").distinct().count()
            ), monday


def test_whole_months_and_weeks_are_read_from_their_sums(page):
    members = [MemberFactory() for _n in range(3)]
    day = datetime.date(2026, 2, 1)
    while day <= datetime.date(2026, 3, 31):
        for member in members[: 1 + day.day % 3]:
            comment_at(page, local_noon(day), user=member)
        day += datetime.timedelta(days=1)
    aggregates.refresh_range(datetime.date(2026, 2, 1), datetime.date(2026, 3, 31))
    editor = superuser()
    first, last = datetime.date(2026, 2, 1), datetime.date(2026, 3, 15)
    before = {
        row.user.pk: row.total for row in reports.top_contributors(editor, first, last)
    }
    distinct = reports.distinct_contributors(first, last)
    # February (a whole month) and March 2-15 (two whole weeks) are read from
    # their sums: without their day rows the numbers stay the same.
    DailyMetric.objects.filter(
        metric="contributor",
        day__gte=datetime.date(2026, 2, 1),
        day__lte=datetime.date(2026, 3, 15),
    ).exclude(day=datetime.date(2026, 3, 1)).delete()
    after = {
        row.user.pk: row.total for row in reports.top_contributors(editor, first, last)
    }
    assert after == before and len(before) == 3
    assert reports.distinct_contributors(first, last) == distinct == 3


def test_day_boundaries_at_the_end_of_a_week_and_a_month(page):
    """Shanghai is UTC+8: 23:30 local on Sunday 2026-05-31 (the last day of
    May) is 15:30 UTC; 00:30 local on Monday 2026-06-01 is 16:30 UTC."""
    member = MemberFactory()
    comment_at(page, utc(2026, 5, 31, 15, 30), user=member)
    comment_at(page, utc(2026, 5, 31, 16, 30), user=member)
    comment_at(page, utc(2026, 5, 31, 16, 31), user=member)
    aggregates.refresh_range(datetime.date(2026, 5, 25), datetime.date(2026, 6, 7))

    def rolled(metric, first):
        return DailyMetric.objects.get(
            metric=metric, day=first, key=str(member.pk)
        ).value

    assert rolled("contributor/week", datetime.date(2026, 5, 25)) == 1
    assert rolled("contributor/month", datetime.date(2026, 5, 1)) == 1
    assert rolled("contributor/week", datetime.date(2026, 6, 1)) == 2
    assert rolled("contributor/month", datetime.date(2026, 6, 1)) == 2
    editor = superuser()
    may = reports.top_contributors(
        editor, datetime.date(2026, 5, 1), datetime.date(2026, 5, 31)
    )
    june_week = reports.top_contributors(
        editor, datetime.date(2026, 6, 1), datetime.date(2026, 6, 7)
    )
    assert [row.total for row in may] == [1]
    assert [row.total for row in june_week] == [2]


def test_refreshing_a_day_updates_its_week_and_month(page):
    day = datetime.date(2026, 3, 4)
    member = MemberFactory()
    comment_at(page, local_noon(day), user=member)
    aggregates.refresh_range(day, day)

    def rolled(period, first):
        return DailyMetric.objects.get(
            metric=f"contributor/{period}", day=first, key=str(member.pk)
        ).value

    monday, first = datetime.date(2026, 3, 2), datetime.date(2026, 3, 1)
    assert (rolled("week", monday), rolled("month", first)) == (1, 1)
    comment_at(page, local_noon(day), user=member)
    aggregates.refresh_days([day])
    assert (rolled("week", monday), rolled("month", first)) == (2, 2)
    Comment.objects.all().delete()
    aggregates.refresh_days([day])
    assert not DailyMetric.objects.filter(
        metric__startswith="contributor", day__in=[day, monday, first]
    ).exists()


# Posts in the insights -----------------------------------------------------


def test_posts_likes_and_their_comments_are_counted(page, board):
    day = datetime.date(2026, 3, 10)
    author, fan = MemberFactory(), MemberFactory()
    story = post_at(board, local_noon(day), author=author, kind="story")
    post_at(board, local_noon(day), author=author, kind="question")
    held = post_at(board, local_noon(day), author=author, state="pending")
    Post.objects.filter(pk=held.pk).update(published_at=None)
    like = PostReaction.objects.create(post=story, user=fan)
    PostReaction.objects.filter(pk=like.pk).update(created_at=local_noon(day))
    comment_at(story, local_noon(day), user=fan)
    aggregates.refresh_range(day, day)

    def value(metric, key=""):
        row = DailyMetric.objects.filter(day=day, metric=metric, key=key).first()
        return row.value if row else 0

    assert value("posts", "story") == 1
    assert value("posts", "question") == 1
    assert value("posts", "photo") == 0
    assert value("reactions") == 1
    assert value("item_reactions", f"post:{story.pk}") == 1
    assert value("page_comments", f"post:{story.pk}") == 1
    assert value("contributor", str(author.pk)) == 2  # two published posts
    assert value("contributor", str(fan.pk)) == 2  # a like and a comment
    assert value("contributors") == 2

    report = reports.engagement(superuser(), day, day)
    by_id = {metric.id: metric for metric in report.metrics}
    assert by_id["posts"].total == 2
    assert {key.label for key in by_id["posts"].keys} == {"Story", "Question"}
    top = report.top_items.rows[0]
    assert (top.kind, top.label, top.total) == ("post", story.title, 2)
    assert top.url == story.get_absolute_url()
    assert top.edit_url.endswith(f"/community/posts/inspect/{story.pk}/")


def test_write_paths_refresh_post_metrics(
    page, board, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    first = today.replace(day=1)
    author, fan = MemberFactory(), MemberFactory()

    def value(metric, key="", day=today):
        row = DailyMetric.objects.filter(day=day, metric=metric, key=key).first()
        return row.value if row else 0

    with django_capture_on_commit_callbacks(execute=True):
        post = PostFactory(board=board, author=author, kind="photo")
    assert value("posts", "photo") == 1
    assert value("contributor/week", str(author.pk), monday) == 1
    with django_capture_on_commit_callbacks(execute=True):
        like = PostReaction.objects.create(post=post, user=fan)
    assert value("item_reactions/week", f"post:{post.pk}", monday) == 1
    assert value("item_reactions/month", f"post:{post.pk}", first) == 1
    with django_capture_on_commit_callbacks(execute=True):
        like.delete()
    assert value("item_reactions/week", f"post:{post.pk}", monday) == 0
    assert value("contributor/month", str(fan.pk), first) == 0
    with django_capture_on_commit_callbacks(execute=True):
        post.state = Post.State.REMOVED
        post.save()
    assert value("posts", "photo") == 0
    assert value("contributor/week", str(author.pk), monday) == 0


def test_a_cascade_refreshes_each_day_once(
    page, board, django_capture_on_commit_callbacks, monkeypatch
):
    enqueued = []

    class Recorder:
        def enqueue(self, days):
            enqueued.append(days)

    monkeypatch.setattr(aggregates, "refresh_insights_days", Recorder())
    post = PostFactory(board=board)
    aggregates.pending_days().clear()  # the fixtures' writes, never committed
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(5):
            PostReaction.objects.create(post=post, user=MemberFactory())
        PostReaction.objects.filter(post=post).delete()
        post.delete()
    assert enqueued == [[timezone.localdate().isoformat()]]


def test_posts_of_erased_members_are_nobody_s_contributions(page, board):
    day = datetime.date(2026, 3, 10)
    post_at(board, local_noon(day), author=None)
    post_at(board, local_noon(day))
    aggregates.refresh_range(day, day)
    assert DailyMetric.objects.get(day=day, metric="contributors").value == 1
    assert not DailyMetric.objects.filter(metric="contributor", key="None").exists()
    report = reports.engagement(superuser(), day, day)
    assert len(report.top_contributors) == 1


def test_unpublished_posts_are_named_for_post_moderators_only(
    client, page, board, django_user_model
):
    day = datetime.date(2026, 3, 10)
    removed = post_at(board, local_noon(day), title="Something abusive")
    comment_at(removed, local_noon(day))
    Post.objects.filter(pk=removed.pk).update(state=Post.State.REMOVED)
    aggregates.refresh_range(day, day)
    query = "start=2026-03-10&end=2026-03-10"

    reader = editor_with(django_user_model, "community_insights.view_engagement_report")
    client.force_login(reader)
    html = client.get(f"/admin/insights/?{query}").content.decode()
    assert f"Post #{removed.pk} (not published)" in html
    assert "Something abusive" not in html
    assert f"/community/posts/inspect/{removed.pk}/" not in html

    moderator = editor_with(
        django_user_model,
        "community_insights.view_engagement_report",
        "community_posts.change_post",
    )
    client.force_login(moderator)
    html = client.get(f"/admin/insights/?{query}").content.decode()
    assert "Something abusive" in html
    assert f"/community/posts/inspect/{removed.pk}/" in html


def test_listening_reads_posts(client, page, board, settings):
    settings.COMMUNITY_INSIGHTS_LISTENING_RESCAN_DAYS = 10_000
    brand = KeywordGroup.objects.create(
        name="Cloudmist", kind="brand", keywords_en="Cloudmist", keywords_zh="云雾"
    )
    KeywordGroup.objects.create(name="Rival", kind="competitor", keywords_en="Rival")
    post = PostFactory(
        board=board,
        title="云雾的龙井",
        body="The **best** tea I have had, and [not this one](https://rival.example/).",
    )
    # Listening reads what visitors read: no Markdown, no link targets.
    mention = Mention.objects.get()
    assert (mention.group, mention.object_id) == (brand, str(post.pk))
    assert mention.sentiment == "positive"
    assert mention.excerpt == "云雾的龙井 — The best tea I have had, and not this one."
    today = timezone.localdate()
    report = reports.listening(today, today)
    latest = report.latest[0]
    assert latest.item_url == post.get_absolute_url()
    assert latest.moderate_url.endswith(f"/community/posts/inspect/{post.pk}/")
    assert latest.reply_url == post.get_absolute_url() + "#comments"
    client.force_login(superuser())
    html = client.get("/admin/insights/listening/").content.decode()
    assert post.get_absolute_url() in html

    # A removed post is no longer listened to; a rescan finds it again when
    # it is published again.
    post.state = Post.State.REMOVED
    post.save()
    assert not Mention.objects.exists()
    Post.objects.filter(pk=post.pk).update(state=Post.State.PUBLISHED)
    rescan_mentions.call()
    assert Mention.objects.get().object_id == str(post.pk)


def test_dashboard_panel_shows_both_moderation_queues(client, page, board):
    PostFactory(board=board, state="pending")
    PostFactory(board=board, state="pending")
    comment_at(page, timezone.now(), state="pending")
    client.force_login(superuser())
    html = client.get("/admin/").content.decode()
    assert "<strong>2</strong> posts wait in moderation." in html
    assert "<strong>1</strong> comment waits in moderation." in html
    assert "/admin/community/posts/" in html
