"""The admin pages of sources, alert rules and alerts render (no 500) with
hostile stored data, never unescaped; forms check what editors enter."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from community.insights.models import (
    Alert,
    AlertRule,
    ExternalPost,
    KeywordGroup,
    Mention,
    Source,
)
from tests.community.insights.insights_helpers import superuser

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def url(name, *args):
    return reverse(f"wagtailsnippets_community_insights_{name}", args=args)


@pytest.fixture
def admin(client):
    client.force_login(superuser())
    return client


@pytest.fixture
def hostile(db):
    group = KeywordGroup.objects.create(name=f"G {EVIL}", keywords_en="tea")
    source = Source.objects.create(
        name=f"S {EVIL}",
        connector="webhook",
        config={"url": EVIL},
        last_error=f"Failed {EVIL}",
        failures=3,
        last_ok_at=timezone.now(),
        next_fetch_at=timezone.now() + datetime.timedelta(hours=1),
    )
    Source.objects.create(name="Unknown kind", connector="gone")
    post = ExternalPost.objects.create(
        source=source,
        text_hash="h" * 64,
        text=EVIL,
        published_at=timezone.now(),
    )
    mention = Mention.objects.create(
        group=group,
        content_type=ContentType.objects.get_for_model(ExternalPost),
        object_id=str(post.pk),
        created_at=timezone.now(),
        sentiment="negative",
        excerpt=EVIL,
        origin=source,
        author=EVIL[:150],
        url="javascript:alert(1)",
    )
    rule = AlertRule.objects.create(group=group, name=f"R {EVIL}")
    alert = Alert.objects.create(rule=rule, summary=f"A {EVIL}", count=1)
    alert.mentions.add(mention)
    return source, rule, alert


def assert_safe(response):
    assert response.status_code == 200
    content = response.content.decode()
    assert '<script>alert("x")' not in content
    assert "<img src=x onerror" not in content


def test_pages_render_hostile_data_escaped(admin, hostile):
    source, rule, alert = hostile
    for page in [
        url("source:list"),
        url("source:inspect", source.pk),
        url("source:edit", source.pk),
        url("source:add"),
        url("alertrule:list"),
        url("alertrule:edit", rule.pk),
        url("alertrule:add"),
        url("alert:list"),
        url("alert:inspect", alert.pk),
    ]:
        assert_safe(admin.get(page))


def test_source_listing_shows_state(admin, hostile):
    content = admin.get(url("source:list")).content.decode()
    assert "Failing" in content
    assert "Failed &lt;script&gt;" in content


def test_webhook_source_inspect_shows_its_address_and_secret(admin, hostile):
    source = hostile[0]
    content = admin.get(url("source:inspect", source.pk)).content.decode()
    assert source.secret in content
    assert f"/insights/sources/{source.pk}/webhook/" in content


def test_add_source_checks_the_connector_settings(admin):
    data = {
        "name": "Feed",
        "connector": "rss",
        "config": '{"url": "ftp://nope"}',
        "interval": "30",
        "active": "on",
    }
    response = admin.post(url("source:add"), data)
    assert response.status_code == 200
    assert "must be an http(s) address" in response.content.decode()
    data["config"] = '{"url": "https://example.com/feed.xml"}'
    data["interval"] = "1"
    response = admin.post(url("source:add"), data)
    assert "At least 5 minutes" in response.content.decode()
    data["interval"] = "30"
    response = admin.post(url("source:add"), data)
    assert response.status_code == 302
    assert Source.objects.get(name="Feed").config["url"].startswith("https://")


@pytest.mark.parametrize(
    "config", ['["list"]', '{"url": {"nested": 1}}', "not json", '{"q": "\\u0000"}']
)
def test_bad_config_is_a_form_error(admin, config):
    data = {"name": "Bad", "connector": "rss", "config": config, "interval": "30"}
    response = admin.post(url("source:add"), data)
    assert response.status_code == 200
    assert not Source.objects.filter(name="Bad").exists()


def test_account_rule_needs_accounts(admin):
    group = KeywordGroup.objects.create(name="Acc", keywords_en="tea")
    data = {
        "name": "Watch",
        "group": str(group.pk),
        "kind": "account",
        "active": "on",
        "ratio": "3",
        "min_count": "1",
        "window": "60",
        "baseline_hours": "24",
    }
    response = admin.post(url("alertrule:add"), data)
    assert response.status_code == 200
    assert "List accounts or give a minimum reach" in response.content.decode()
    data["handles"] = "@vip"
    assert admin.post(url("alertrule:add"), data).status_code == 302


def test_fetch_now_needs_post_and_permission(admin, client, django_user_model):
    source = Source.objects.create(
        name="Feed", connector="rss", config={"url": "http://127.0.0.1:9/x"}
    )
    response = admin.post(url("source:fetch", source.pk))
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.last_fetched_at is not None and source.failures == 1
    member = django_user_model.objects.create_user("no-perms", password="x")
    client.force_login(member)
    assert client.post(url("source:fetch", source.pk)).status_code in (302, 403)


def test_source_listing_shows_and_filters_by_site(admin):
    root = Page.get_first_root_node()
    one = Site.objects.create(hostname="one.example", root_page=root, site_name="One")
    two = Site.objects.create(hostname="two.example", root_page=root, site_name="Two")
    feed = {"url": "https://feed.example/"}
    Source.objects.create(name="Feed of one", connector="rss", config=feed, site=one)
    Source.objects.create(name="Feed of two", connector="rss", config=feed, site=two)
    Source.objects.create(name="Feed of all", connector="rss", config=feed)
    listing = admin.get(url("source:list")).content.decode()
    assert "Every site" in listing
    filtered = admin.get(url("source:list"), {"site": one.pk}).content.decode()
    assert "Feed of one" in filtered
    assert "Feed of two" not in filtered and "Feed of all" not in filtered
