"""Storing items from outside: duplicates (same URL or same text) once,
sanitizing, mentions with their denormalised fields, the scheduling of
fetches (due sources, claims, the `listen` command and tasks)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from community.insights import checks, imports, ingest
from community.insights.models import (
    DailyMetric,
    ExternalPost,
    KeywordGroup,
    Mention,
    Source,
)
from community.insights.sources.base import Connector, Item, parse_datetime, plain
from community.insights.sources.registry import registry
from community.insights.tasks import fetch_due_sources
from tests.community.insights import sources_helpers
from tests.community.insights.sources_helpers import make_source

fake_server = sources_helpers.fake_server
pytestmark = pytest.mark.django_db


@pytest.fixture
def longjing(db):
    return KeywordGroup.objects.create(
        name="Longjing test",
        kind="industry",
        keywords_en="Longjing",
        keywords_zh="龙井",
    )


def test_same_url_or_same_text_is_stored_once(longjing):
    source = make_source("webhook")
    other = make_source("webhook")
    first = ingest.store_items(
        source,
        [
            Item(text="Longjing is lovely", url="https://a.example/x?utm_medium=s#c"),
            Item(text="Another text", url="HTTPS://A.EXAMPLE:443/x"),
            Item(text="  longjing   IS lovely "),
            Item(text="Fresh words", url="https://a.example/y"),
        ],
    )
    assert (first.created, first.duplicates) == (2, 2)
    second = ingest.store_items(
        other, [Item(text="Fresh words"), Item(text="New", url="https://a.example/x")]
    )
    assert (second.created, second.duplicates) == (0, 2)
    assert ExternalPost.objects.filter(source__in=[source, other]).count() == 2


def test_empty_items_are_skipped(db):
    result = ingest.store_items(
        make_source("webhook"), [Item(text="<script>x</script>"), Item(text=" \x00 ")]
    )
    assert (result.created, result.skipped) == (0, 2)


def test_mentions_keep_source_author_url_language_reach(longjing):
    source = make_source("webhook")
    when = datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC)
    ingest.store_items(
        source,
        [
            Item(
                text="西湖龙井茶太难喝了",
                url="https://weibo.example/1",
                author_handle="@茶友",
                published_at=when,
                reach=12345,
            )
        ],
    )
    mention = Mention.objects.get(origin=source)
    assert mention.group == longjing
    assert mention.language == "zh"
    assert mention.author == "@茶友"
    assert mention.url == "https://weibo.example/1"
    assert mention.reach == 12345
    assert mention.created_at == when
    post = ExternalPost.objects.get(source=source)
    assert mention.object_id == str(post.pk)
    assert mention.content_type.model_class() is ExternalPost


def test_future_dates_are_clamped(db):
    source = make_source("webhook")
    now = timezone.now()
    ingest.store_items(
        source,
        [Item(text="From the future", published_at=now + datetime.timedelta(days=9))],
        now=now,
    )
    assert ExternalPost.objects.get(source=source).published_at == now


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        (
            "https://Example.COM/a?b=1&utm_source=x&fbclid=y",
            "https://example.com/a?b=1",
        ),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/p#frag", "http://example.com:8080/p"),
        ("javascript:alert(1)", ""),
        ("https://example.com/" + "a" * 600, ""),
        ("http://[::1", ""),
    ],
)
def test_normalise_url(url, normal):
    assert ingest.normalise_url(url) == normal


def test_plain_text_strips_markup_and_controls():
    assert plain("<b>A</b>&amp;<script>bad()</script>B\x00\x07 C") == "A&B C"
    assert plain("&lt;img src=x onerror=alert(1)&gt;hi") == "hi"
    assert len(plain("x" * 50, limit=10)) == 10


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-02T10:00:00Z",
        "Mon, 02 Mar 2026 10:00:00 GMT",
        1772445600,
        "Mon Mar 02 18:00:00 +0800 2026",
    ],
)
def test_parse_datetime_formats(value):
    assert parse_datetime(value) == datetime.datetime(
        2026, 3, 2, 10, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize("value", ["soon", 10**30, "9" * 100, None, ""])
def test_parse_datetime_garbage(value):
    assert parse_datetime(value) is None


def test_claim_lets_one_worker_fetch(db):
    source = make_source("rss", url="http://127.0.0.1:9/")
    now = timezone.now()
    copy = Source.objects.get(pk=source.pk)
    assert ingest.claim(source, now)
    assert not ingest.claim(copy, now)


def test_due_sources_skip_inactive_waiting_and_inbound(db):
    now = timezone.now()
    due = make_source("rss", url="http://127.0.0.1:9/")
    waiting = make_source("rss", url="http://127.0.0.1:9/")
    waiting.next_fetch_at = now + datetime.timedelta(minutes=5)
    waiting.save()
    paused = make_source("rss", url="http://127.0.0.1:9/")
    paused.active = False
    paused.save()
    inbound = make_source("import")
    ids = set(ingest.due_sources(now).values_list("pk", flat=True))
    assert due.pk in ids
    assert not ids & {waiting.pk, paused.pk, inbound.pk}


def test_listen_command_fetches_due_sources(fake_server, longjing):
    fake_server.routes["/feed.xml"] = (
        200,
        {},
        "<rss><channel><item><title>Longjing harvest</title>"
        "<link>https://n.example/1</link></item></channel></rss>",
    )
    source = make_source("rss", url=f"{fake_server.url}/feed.xml")
    out = io.StringIO()
    call_command("listen", "--source", str(source.pk), stdout=out)
    assert "1 new" in out.getvalue()
    assert Mention.objects.filter(origin=source, group=longjing).count() == 1
    out = io.StringIO()
    call_command("listen", "--sync", stdout=out)
    source.refresh_from_db()
    # Fetched just now: not due again yet.
    assert f"Source {source.pk}:" not in out.getvalue()


def test_fetch_due_sources_task(fake_server):
    fake_server.routes["/feed.xml"] = (
        200,
        {},
        "<rss><channel><item><title>Task tea</title></item></channel></rss>",
    )
    source = make_source("rss", url=f"{fake_server.url}/feed.xml")
    result = fetch_due_sources.enqueue()
    assert source.pk in result.return_value
    source.refresh_from_db()
    assert source.last_ok_at is not None
    assert ExternalPost.objects.filter(source=source).count() == 1


def test_source_gets_a_secret(db):
    assert len(make_source("webhook").secret) >= 40


class NotAConnector:
    id = "x"


class BadIdConnector(Connector):
    id = "Bad Id"


@pytest.mark.parametrize(
    ("connectors", "check_id"),
    [
        (["no.such.Connector"], "community_insights.E002"),
        ([f"{__name__}.NotAConnector"], "community_insights.E002"),
        ([f"{__name__}.BadIdConnector"], "community_insights.E003"),
    ],
)
def test_connector_setting_is_checked(settings, connectors, check_id):
    settings.COMMUNITY_INSIGHTS_CONNECTORS = connectors
    ids = [error.id for error in checks.check_listening_sources(None)]
    assert ids == [check_id]


def test_builtin_connectors_pass_the_check():
    assert checks.check_listening_sources(None) == []
    assert {"rss", "mastodon", "bluesky", "reddit", "weibo", "import", "webhook"} <= {
        connector.id for connector in registry.all()
    }


@given(st.binary(max_size=2000), st.text(max_size=300))
@hypothesis_settings(max_examples=150, deadline=None)
def test_any_bytes_read_or_fail_clearly(data, text):
    for payload in (data, text.encode("utf-8"), text.encode("gb18030", "ignore")):
        try:
            table = imports.read(payload)
        except imports.ImportProblem:
            continue
        mapping = imports.guess_mapping(table.columns) or {"text": table.columns[0]}
        for row in table.rows:
            if row is not None:
                imports.item_from_mapping(row, mapping)
    assert isinstance(plain(text), str)


def test_stored_mentions_reach_the_report_rollups(
    longjing, django_capture_on_commit_callbacks
):
    """The listening report reads daily rollups: storing external mentions
    refreshes their day once the transaction commits, in their language."""
    published = timezone.now() - datetime.timedelta(days=2)
    source = make_source("webhook")
    with django_capture_on_commit_callbacks(execute=True):
        result = ingest.store_items(
            source,
            [
                Item(text="西湖龙井茶真好喝，我很喜欢", published_at=published),
                Item(text="Longjing from this shop is awful", published_at=published),
            ],
        )
    assert result.created == 2
    mentions = Mention.objects.filter(group=longjing, origin=source)
    assert dict(mentions.values_list("language", "sentiment")) == {
        "zh": "positive",
        "en": "negative",
    }
    day = timezone.localdate(published)
    rows = DailyMetric.objects.filter(day=day, metric="listening")
    assert sum(row.value for row in rows if row.key.startswith(f"{longjing.pk}:")) == 2
