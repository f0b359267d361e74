"""The demo's listening beyond the site works offline: while the sandbox is
on, its sources point at the sandbox's imitation news feed and Mastodon
#tea timeline, are fetched at once, and the listening report shows their
mentions (English and Chinese) right after the demo is loaded."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from community.insights import ingest
from community.insights.models import (
    Alert,
    AlertRule,
    ExternalPost,
    KeywordGroup,
    Mention,
    Source,
)
from socialsite.sandbox import listening as sandbox
from socialsite.website.demo.listening import RULES, build_listening, sandbox_sources


@pytest.fixture
def sandbox_on():
    with override_settings(
        SOCIAL_LOGIN_SANDBOX=True,
        COMMUNITY_INSIGHTS_FETCH_SESSION="socialsite.sandbox.listening.session",
    ):
        yield


def test_the_sandbox_serves_a_feed_and_a_tag_timeline(client, db, sandbox_on):
    feed = client.get("/sandbox-oauth/listen/news/feed.xml")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/rss+xml")
    body = feed.content.decode()
    assert "Cloudmist" in body and "云雾茶" in body
    timeline = client.get("/sandbox-oauth/listen/mastodon/api/v1/timelines/tag/tea")
    statuses = json.loads(timeline.content)
    assert len(statuses) == len(sandbox.TOOTS)
    newest = statuses[0]["id"]
    later = client.get(
        "/sandbox-oauth/listen/mastodon/api/v1/timelines/tag/tea",
        {"since_id": newest},
    )
    assert json.loads(later.content) == []
    # The mentions' links open the imitation posts, escaped.
    post = client.get(statuses[0]["url"].removeprefix("http://testserver"))
    assert post.status_code == 200 and "Cloudmist" in post.content.decode()
    article = client.get("/sandbox-oauth/listen/news/cloudmist-first-flush/")
    assert article.status_code == 200
    assert client.get("/sandbox-oauth/listen/news/nonesuch/").status_code in (302, 404)


def test_the_sandbox_sources_answer_only_while_it_is_on(client, db):
    with override_settings(SOCIAL_LOGIN_SANDBOX=False):
        response = client.get("/sandbox-oauth/listen/news/feed.xml")
    assert response.status_code in (302, 404)


def test_demo_sources_are_fetched_from_the_sandbox(demo_site, editor, sandbox_on):
    sources = build_listening(demo_site)
    assert [source.name for source in sources] == [
        name for name, _c, _config in sandbox_sources()
    ]
    feed, mastodon = sources
    for source in sources:
        source.refresh_from_db()
        assert source.last_error == "" and source.last_ok_at is not None
        assert source.site == demo_site
    assert ExternalPost.objects.filter(source=feed).count() == len(sandbox.NEWS)
    assert ExternalPost.objects.filter(source=mastodon).count() == len(sandbox.TOOTS)
    brand = KeywordGroup.objects.get(name="Cloudmist Tea")
    mentions = Mention.objects.filter(group=brand, origin__in=sources)
    assert {mention.language for mention in mentions} == {"en", "zh"}
    assert mentions.filter(sentiment="negative").exists()
    assert mentions.filter(sentiment="positive").exists()
    assert Mention.objects.filter(group__name="Jade Leaf", origin__in=sources).exists()
    # The alert rules exist; the far-reaching critic raised an alert.
    rules = AlertRule.objects.filter(name__in=[name for name, _k, _f in RULES])
    assert rules.count() == len(RULES)
    assert editor in rules.first().recipients.all()
    assert Alert.objects.filter(rule__kind="account", rule__in=rules).exists()

    # Loading again changes nothing.
    posts = ExternalPost.objects.filter(source__in=sources).count()
    assert build_listening(demo_site) == sources
    assert ExternalPost.objects.filter(source__in=sources).count() == posts
    assert AlertRule.objects.filter(name__in=[n for n, _k, _f in RULES]).count() == 3


def test_the_listening_report_shows_the_external_mentions(
    client, demo_site, editor, sandbox_on
):
    build_listening(demo_site)
    client.force_login(editor)
    response = client.get(reverse("community_insights:listening"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mastodon #tea (sandbox)" in content


def test_without_the_sandbox_only_the_rules_are_made(demo_site):
    with override_settings(SOCIAL_LOGIN_SANDBOX=False):
        assert build_listening(demo_site) == []
    assert not Source.objects.filter(
        name__in=[name for name, _c, _config in sandbox_sources()]
    ).exists()
    assert AlertRule.objects.filter(name=RULES[0][0]).exists()


def test_the_sandbox_session_still_refuses_other_private_addresses(
    demo_site, sandbox_on
):
    source = Source.objects.create(
        name="Private feed", connector="rss", config={"url": "http://127.0.0.1:9/x"}
    )
    build_listening(demo_site)
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert source.last_error.startswith("The address is refused")
