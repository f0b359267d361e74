"""Insights: daily aggregation (time zone and day boundaries), listening
(matching, sentiment), reports, exports, permissions and the digest."""

import csv
import datetime
import io

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from community.comments.models import CommentReaction
from community.insights import aggregates, digest, listening, reports
from community.insights.digest import send_insights_digest
from community.insights.models import (
    DailyMetric,
    DigestSubscription,
    KeywordGroup,
    Mention,
)
from community.insights.signals import rescan_mentions
from sharing.models import ShareCount
from tests.community.insights.insights_helpers import (
    DAY1,
    DAY2,
    comment_at,
    editor_with,
    superuser,
    utc,
)
from tests.factories import CommentFactory, MemberFactory, UserFactory


@pytest.fixture
def groups(page):
    brand = KeywordGroup.objects.create(
        name="Cloudmist",
        kind="brand",
        keywords_en="Cloudmist\ncloud mist",
        keywords_zh="云雾",
    )
    product = KeywordGroup.objects.create(
        name="Longjing",
        kind="product",
        keywords_en="Longjing\nDragon Well",
        keywords_zh="龙井",
    )
    rival = KeywordGroup.objects.create(
        name="Rival", kind="competitor", keywords_en="TeaCo", keywords_zh="茶公司"
    )
    return brand, product, rival


# Matching and sentiment ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I love CLOUDMIST tea", {"Cloudmist"}),
        ("cloudmisty mornings", set()),  # not a whole word
        ("Cloud   Mist's new shop", {"Cloudmist"}),
        ("我最喜欢云雾的茶", {"Cloudmist"}),  # Chinese without spaces
        ("喜欢Cloudmist的龙井", {"Cloudmist", "Longjing"}),
        ("dragon well beats teaco", {"Longjing", "Rival"}),
        ("这家茶公司的服务很慢", {"Rival"}),
        ("teacosy", set()),
    ],
)
def test_matching_latin_words_and_chinese_substrings(groups, text, expected):
    found = {group.name for group in listening.matching_groups(text, groups)}
    assert found == expected


LABELLED = [
    ("I love this tea, the best Longjing", "positive"),
    ("Terrible service and stale leaves", "negative"),
    ("The tea is not good", "negative"),
    ("Not bad at all", "positive"),
    ("I ordered on Monday", "neutral"),
    ("这个龙井很好喝，推荐给大家", "positive"),
    ("太贵了，而且很失望", "negative"),
    ("不好喝", "negative"),
    ("今天下午泡了一壶龙井。", "neutral"),
    ("Never again, I want a refund", "negative"),
]


def test_sentiment_on_a_labelled_set():
    results = [listening.sentiment(text) == label for text, label in LABELLED]
    assert all(results), [
        t for (t, _l), ok in zip(LABELLED, results, strict=True) if not ok
    ]


# Aggregation ----------------------------------------------------------------


def test_days_follow_the_site_time_zone(page, settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    alice, bob = MemberFactory(), MemberFactory()
    # 2026-03-01 23:59:59 and 2026-03-02 00:00:00 in Shanghai (UTC+8).
    comment_at(page, utc(2026, 2, 28, 16, 0), user=alice)  # Mar 1 00:00 local
    comment_at(page, utc(2026, 3, 1, 15, 59, 59), user=alice)  # Mar 1 23:59:59
    late = comment_at(page, utc(2026, 3, 1, 16, 0), user=bob)  # Mar 2 00:00
    comment_at(page, utc(2026, 3, 1, 17, 0), user=bob, state="spam")  # not counted
    reaction = CommentReaction.objects.create(comment=late, user=alice)
    CommentReaction.objects.filter(pk=reaction.pk).update(
        created_at=utc(2026, 3, 2, 3, 0)
    )  # Mar 2 11:00 local
    aggregates.refresh_range(DAY1, DAY2)

    def value(day, metric, key=""):
        row = DailyMetric.objects.filter(day=day, metric=metric, key=key).first()
        return row.value if row else 0

    assert value(DAY1, "comments") == 2
    assert value(DAY2, "comments") == 1
    assert value(DAY1, "contributors") == 1
    assert value(DAY2, "contributors") == 2  # bob commented, alice reacted
    assert value(DAY2, "reactions") == 1
    assert value(DAY1, "page_comments", f"page:{page.pk}") == 2
    assert value(DAY2, "contributor", str(alice.pk)) == 1

    editor = UserFactory(is_superuser=True)
    report = reports.engagement(editor, DAY1, DAY2, "day")
    by_id = {metric.id: metric for metric in report.metrics}
    assert by_id["comments"].values == [2, 1]
    assert by_id["contributors"].values == [1, 2]
    assert by_id["contributors"].total == 2  # distinct over the period
    assert report.top_items.rows[0].label == page.title
    assert [row.name for row in report.top_contributors][0] in (
        alice.username,
        bob.username,
    )
    # 2026-03-01 is a Sunday: it belongs to the week of Monday 2026-02-23.
    weekly = reports.engagement(editor, DAY1, DAY2, "week")
    weekly_by_id = {metric.id: metric for metric in weekly.metrics}
    assert weekly.buckets == [datetime.date(2026, 2, 23), DAY2]
    assert weekly_by_id["comments"].values == [2, 1]


def test_new_members_by_provider(page):
    by_email = MemberFactory()
    by_weibo = MemberFactory()
    SocialAccount.objects.create(user=by_weibo, provider="weibo", uid="42")
    get_user_model().objects.filter(pk__in=[by_email.pk, by_weibo.pk]).update(
        date_joined=utc(2026, 3, 1, 16, 30)  # Mar 2 local
    )
    aggregates.refresh_range(DAY1, DAY2)
    rows = dict(
        DailyMetric.objects.filter(metric="members", day=DAY2).values_list(
            "key", "value"
        )
    )
    assert rows == {"email": 1, "weibo": 1}
    assert not DailyMetric.objects.filter(metric="members", day=DAY1).exists()


def test_write_paths_update_the_aggregates(
    page, groups, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory(content_object=page, comment="Cloudmist is terrible, so stale")
    assert DailyMetric.objects.get(day=today, metric="comments", key="").value == 1
    brand = groups[0]
    assert (
        DailyMetric.objects.get(
            day=today, metric="mentions", key=f"{brand.pk}:negative"
        ).value
        == 1
    )
    mention = Mention.objects.get()
    assert mention.group == brand and mention.sentiment == "negative"


def test_listening_report(page, groups, settings):
    settings.COMMUNITY_INSIGHTS_LISTENING_RESCAN_DAYS = 10_000
    brand, product, rival = groups
    comment_at(page, utc(2026, 3, 1, 2), text="I love Cloudmist 龙井")
    comment_at(page, utc(2026, 3, 1, 3), text="TeaCo is awful")
    comment_at(page, utc(2026, 3, 1, 20), text="云雾的茶很好喝")  # Mar 2 local
    rescan_mentions.call()
    report = reports.listening(DAY1, DAY2)
    by_name = {entry.group.name: entry for entry in report.groups}
    assert by_name["Cloudmist"].values == [1, 1]
    assert by_name["Cloudmist"].positive == 2
    assert by_name["Rival"].negative == 1
    assert by_name["Longjing"].total == 1
    voice = {item.label: item.percent for item in report.voice}
    assert voice == {"Cloudmist": pytest.approx(66.7), "Rival": pytest.approx(33.3)}
    assert report.latest[0].excerpt == "云雾的茶很好喝"
    assert report.latest[0].item_url.endswith(f"#c{report.latest[0].object_id}")
    assert "/inspect/" in report.latest[0].moderate_url


# Admin screens, exports, permissions -------------------------------------


def test_reports_need_their_permission(client, page, django_user_model):
    nobody = editor_with(django_user_model)
    client.force_login(nobody)
    # Wagtail turns PermissionDenied into a redirect to the admin home.
    for url in ("/admin/insights/", "/admin/insights/listening/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    home = client.get("/admin/")
    assert b"Community insights" not in home.content

    engagement_only = editor_with(
        django_user_model, "community_insights.view_engagement_report"
    )
    client.force_login(engagement_only)
    response = client.get("/admin/insights/")
    assert response.status_code == 200
    ids = [metric.id for metric in response.context["report"].metrics]
    # Community's metrics only (its apps' too): no sharing permission.
    assert ids[:5] == ["members", "contributors", "posts", "comments", "reactions"]
    assert "shares" not in ids and "share_visits" not in ids
    assert client.get("/admin/insights/listening/").status_code == 302

    both = editor_with(
        django_user_model,
        "community_insights.view_engagement_report",
        "sharing.view_share_reports",
    )
    client.force_login(both)
    ids = [m.id for m in client.get("/admin/insights/").context["report"].metrics]
    assert ids[:5] == ["members", "contributors", "posts", "comments", "reactions"]
    assert {"shares", "share_visits"} <= set(ids)


def test_listening_without_keyword_groups_links_to_adding_one(client, page):
    client.force_login(superuser())
    html = client.get("/admin/insights/listening/").content.decode()
    assert "No keyword groups yet." in html
    assert '<a href="/admin/community/keyword-groups/add/">' in html


def test_bad_periods_fall_back_without_error(client, page):
    client.force_login(superuser())
    response = client.get("/admin/insights/?start=2026-03-05&end=2026-03-01")
    assert response.status_code == 200
    assert "The start date is after the end date." in response.content.decode()
    assert (
        client.get("/admin/insights/?start=nonsense&granularity=x").status_code == 200
    )


def test_exports(client, page, settings):
    settings.COMMUNITY_INSIGHTS_LISTENING_RESCAN_DAYS = 10_000
    ShareCount.objects.all().delete()
    comment_at(page, utc(2026, 3, 1, 2))
    comment_at(page, utc(2026, 3, 1, 3), text="=HYPERLINK(evil) Cloudmist")
    ShareCount.objects.create(
        day=DAY2,
        site=page.get_site(),
        event="share",
        platform="weibo",
        object_kind="page",
        object_id=page.pk,
        count=5,
    )
    aggregates.refresh_range(DAY1, DAY2)
    client.force_login(superuser())
    query = "start=2026-03-01&end=2026-03-02&granularity=day"
    response = client.get(f"/admin/insights/?{query}&export=csv")
    assert response["Content-Type"] == "text/csv"
    table = list(csv.reader(io.StringIO(response.content.decode())))
    heading = table[0]
    assert table[1][0] == "2026-03-01" and table[2][0] == "2026-03-02"
    assert table[1][heading.index("Comments")] == "2"
    assert table[2][heading.index("Shares")] == "5"
    assert table[2][heading.index("Shares: Weibo")] == "5"

    response = client.get(f"/admin/insights/?{query}&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "period"
    assert rows[1][rows[0].index("Comments")] == 2

    KeywordGroup.objects.create(name="Cloudmist", keywords_en="Cloudmist")
    response = client.get(f"/admin/insights/listening/?{query}&export=csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[:2] for row in table] == [
        ["period", "Cloudmist"],
        ["2026-03-01", "1"],
        ["2026-03-02", "0"],
    ]


def test_dashboard_panel_compares_weeks(client, page):
    today = timezone.localdate()
    now = timezone.now()
    for days_ago in (0, 1, 8):
        comment_at(page, now - datetime.timedelta(days=days_ago))
    comment_at(page, now, state="pending")
    aggregates.refresh_range(today - datetime.timedelta(days=13), today)
    client.force_login(superuser())
    response = client.get("/admin/")
    html = response.content.decode()
    assert "Community insights" in html
    assert "comment waits in moderation" in html
    editor = UserFactory(is_superuser=True)
    rows = {row.id: row for row in reports.week_comparison(editor, today)}
    assert (rows["comments"].current, rows["comments"].previous) == (3, 1)
    assert rows["comments"].change == 200


# Digest ---------------------------------------------------------------------


def test_digest_email(page, groups, django_user_model, settings):
    brand = groups[0]
    today = timezone.localdate()
    yesterday_noon = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(12))
    )
    for text in (
        "Cloudmist is terrible",
        "Cloudmist tea was stale and disappointing",
        "Cloudmist: awful",
    ):
        comment = comment_at(page, yesterday_noon, text=text)
        listening.index_item(comment, text, yesterday_noon)
    subscribed = editor_with(
        django_user_model, "community_insights.view_listening_report"
    )
    DigestSubscription.objects.create(user=subscribed, frequency="daily")
    weekly = editor_with(django_user_model, "community_insights.view_listening_report")
    DigestSubscription.objects.create(user=weekly, frequency="weekly")
    not_allowed = editor_with(django_user_model)
    DigestSubscription.objects.create(user=not_allowed, frequency="daily")
    mail.outbox.clear()
    assert send_insights_digest.call("daily") == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [subscribed.email]
    assert "negative mentions are rising" in message.subject
    assert "Cloudmist: 3 mentions (0 positive, 3 negative)" in message.body
    assert "negative spike" in message.body
    assert "/admin/insights/listening/" in message.body
    html = message.alternatives[0][0]
    assert "Cloudmist is terrible" in html
    assert brand.name in html


def test_digest_spikes_follow_the_settings(page, groups, settings):
    today = timezone.localdate()

    def noon(days_ago):
        day = today - datetime.timedelta(days=days_ago)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    for days_ago in (1, 1, 1, 2):  # three negative mentions, one the day before
        text = "Cloudmist is terrible"
        comment = comment_at(page, noon(days_ago), text=text)
        listening.index_item(comment, text, noon(days_ago))

    def spikes():
        return [group.name for group in digest.digest("daily", today).spikes]

    # Defaults: at least 3, and at least twice the day before.
    assert spikes() == ["Cloudmist"]
    settings.COMMUNITY_INSIGHTS_DIGEST_SPIKE_MIN = 4
    assert spikes() == []
    settings.COMMUNITY_INSIGHTS_DIGEST_SPIKE_MIN = 1
    settings.COMMUNITY_INSIGHTS_DIGEST_SPIKE_RATIO = 4
    assert spikes() == []
    settings.COMMUNITY_INSIGHTS_DIGEST_SPIKE_RATIO = 3
    assert spikes() == ["Cloudmist"]


def test_digest_preference(client, page, django_user_model):
    editor = editor_with(django_user_model, "community_insights.view_listening_report")
    client.force_login(editor)
    assert client.get("/admin/insights/digest/").status_code == 200
    response = client.post("/admin/insights/digest/", {"frequency": "weekly"})
    assert response.status_code == 302
    assert DigestSubscription.objects.get(user=editor).frequency == "weekly"
    response = client.post("/admin/insights/digest/", {"frequency": "hourly"})
    assert response.status_code == 200
    assert DigestSubscription.objects.get(user=editor).frequency == "weekly"
