"""Alert rules with frozen time: a spike over the trailing baseline, a
negative surge, a watched account; at most once per window; sent by e-mail
and as a signed webhook with the mentions that raised them."""

import datetime
import hashlib
import hmac
import json

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from community.insights import alerts
from community.insights.ingest import store_items
from community.insights.models import (
    Alert,
    AlertRule,
    ExternalPost,
    KeywordGroup,
    Mention,
)
from community.insights.sources.base import Item
from tests.community.insights import sources_helpers
from tests.community.insights.insights_helpers import superuser
from tests.community.insights.sources_helpers import make_source

fake_server = sources_helpers.fake_server
pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def group(db):
    return KeywordGroup.objects.create(name="Alert group", keywords_en="Cloudmist")


def mentions(group, count, minutes_ago, sentiment="neutral", **fields):
    """`count` mentions of `group`, `minutes_ago` minutes before NOW."""
    content_type = ContentType.objects.get_for_model(ExternalPost)
    when = NOW - datetime.timedelta(minutes=minutes_ago)
    return Mention.objects.bulk_create(
        Mention(
            group=group,
            content_type=content_type,
            object_id=str(index),
            created_at=when,
            sentiment=sentiment,
            excerpt="Cloudmist " + "x" * index,
            **fields,
        )
        for index in range(count)
    )


def rule(group, **fields):
    defaults = {"name": "Rule", "kind": "spike", "ratio": 3, "min_count": 5}
    return AlertRule.objects.create(group=group, **{**defaults, **fields})


def evaluate():
    with time_machine.travel(NOW, tick=False):
        return alerts.evaluate()


def test_spike_over_the_baseline(group):
    spike = rule(group, window=60, baseline_hours=24)
    # Baseline: 24 mentions over the 24 hours before the window = 1 per hour.
    for hour in range(1, 25):
        mentions(group, 1, hour * 60 + 30)
    mentions(group, 3, 10)
    assert evaluate() == []  # 3 per hour: under the minimum count of 5
    mentions(group, 2, 5)
    sent = evaluate()
    assert [alert.rule for alert in sent] == [spike]
    alert = sent[0]
    assert alert.count == 5 and alert.baseline == 1
    assert alert.mentions.count() == 5
    assert "5 mentions in 60 min" in alert.summary


def test_no_spike_when_the_baseline_is_as_busy(group):
    rule(group, window=60, baseline_hours=10)
    for hour in range(2, 12):
        mentions(group, 4, hour * 60)
    mentions(group, 10, 10)  # 10 per hour, baseline 4 per hour: 2.5x < 3x
    assert evaluate() == []


def test_at_most_once_per_window(group):
    spike = rule(group, window=60)
    mentions(group, 10, 5)
    assert len(evaluate()) == 1
    mentions(group, 10, 1)
    assert evaluate() == []
    later = NOW + datetime.timedelta(minutes=61)
    with time_machine.travel(later, tick=False):
        # The window moved on: the burst is still inside it.
        mentions(group, 10, -60)
        assert len(alerts.evaluate()) == 1
    assert Alert.objects.filter(rule=spike).count() == 2


def test_negative_surge_counts_only_negative_mentions(group):
    rule(group, kind="negative", window=120, baseline_hours=24)
    mentions(group, 20, 10, sentiment="positive")
    mentions(group, 4, 10, sentiment="negative")
    assert evaluate() == []
    mentions(group, 1, 3, sentiment="negative")
    sent = evaluate()
    assert len(sent) == 1
    assert set(sent[0].mentions.values_list("sentiment", flat=True)) == {"negative"}
    assert "negative" in sent[0].summary


def test_watched_account_by_handle_or_reach(group):
    watch = rule(
        group, kind="account", handles="@Ann@mastodon.example\nu/bob", min_reach=None
    )
    mentions(group, 1, 5, author="@someone")
    assert evaluate() == []
    mentions(group, 1, 5, author="@ann@MASTODON.example")
    sent = evaluate()
    assert len(sent) == 1 and sent[0].count == 1
    watch.handles = ""
    watch.min_reach = 100_000
    watch.last_alert_at = None
    watch.save()
    mentions(group, 1, 4, author="@star", reach=2_000_000)
    sent = evaluate()
    # The mention already alerted is not sent again, the new one is.
    assert [m.author for m in sent[0].mentions.all()] == ["@star"]


def test_inactive_rules_and_groups_are_skipped(group):
    rule(group, active=False)
    mentions(group, 50, 5)
    assert evaluate() == []


def test_email_and_signed_webhook(group, fake_server):
    received = []

    def hook(request):
        received.append(request)
        return 204, {}, b""

    fake_server.routes["/hook"] = hook
    editor = superuser()
    editor.email = "editor@example.com"
    editor.save()
    spike = rule(group, webhook_url=f"{fake_server.url}/hook", webhook_secret="s3cret")
    spike.recipients.add(editor)
    mentions(group, 6, 5, url="https://x.example/m", author="@ann")
    alert = evaluate()[0]
    alert.refresh_from_db()
    assert alert.email_status == "Sent to 1"
    assert alert.webhook_status == "HTTP 204"
    assert mail.outbox[-1].to == ["editor@example.com"]
    assert "https://x.example/m" in mail.outbox[-1].body
    request = received[0]
    expected = hmac.new(b"s3cret", request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Socialsite-Signature"] == f"sha256={expected}"
    payload = json.loads(request["body"])
    assert payload["count"] == 6 and len(payload["mentions"]) == 6
    assert payload["keyword_group"] == "Alert group"


def test_a_failing_webhook_is_recorded(group, settings):
    settings.COMMUNITY_INSIGHTS_ALLOW_PRIVATE_ADDRESSES = True
    rule(group, webhook_url="http://127.0.0.1:9/hook")
    mentions(group, 6, 5)
    alert = evaluate()[0]
    alert.refresh_from_db()
    assert alert.webhook_status.startswith("Failed")


def test_a_webhook_to_a_private_address_is_refused(group, fake_server, settings):
    fake_server.routes["/hook"] = (204, {}, b"")
    settings.COMMUNITY_INSIGHTS_ALLOW_PRIVATE_ADDRESSES = False
    rule(group, webhook_url=f"{fake_server.url}/hook")
    mentions(group, 6, 5)
    alert = evaluate()[0]
    alert.refresh_from_db()
    assert alert.webhook_status.startswith("Refused")
    assert "non-public address 127.0.0.1" in alert.webhook_status
    assert fake_server.requests == []


def test_alerts_after_an_import(group):
    rule(group, kind="account", handles="@vip", min_count=1)
    source = make_source("webhook")
    with time_machine.travel(NOW, tick=False):
        store_items(source, [Item(text="Cloudmist rocks", author_handle="@vip")])
        assert len(alerts.evaluate()) == 1
