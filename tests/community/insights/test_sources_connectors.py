"""Every connector against a fake server on loopback: a normal answer, a
paginated one, a rate limit, a broken answer and a hanging server."""

import datetime
import json

import pytest
from django.test import override_settings
from django.utils import timezone

from community.insights import ingest
from community.insights.models import ExternalPost, KeywordGroup, Mention
from tests.community.insights import sources_helpers
from tests.community.insights.sources_helpers import make_source

fake_server = sources_helpers.fake_server
pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Tea news</title><language>en</language>
{next}
<item><title>Cloudmist &lt;b&gt;wins&lt;/b&gt;
<![CDATA[<script>alert(1)</script>]]></title>
<link>https://news.example/a?utm_source=x</link>
<description><![CDATA[<p>Cloudmist tea is <em>great</em>
<script>alert(2)</script></p>]]></description>
<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><guid>a</guid></item>
<item><title>Other</title><link>https://news.example/{second}</link>
<description>Nothing about tea leaves {second}</description>
<pubDate>Mon, 02 Mar 2026 11:00:00 GMT</pubDate></item>
</channel></rss>"""


def rss(second="b", next_url=""):
    link = f'<atom:link rel="next" href="{next_url}"/>' if next_url else ""
    return RSS.format(next=link, second=second)


@pytest.fixture
def cloudmist(db):
    KeywordGroup.objects.filter(name="Cloudmist test").delete()
    return KeywordGroup.objects.create(name="Cloudmist test", keywords_en="Cloudmist")


def posts_of(source):
    return list(ExternalPost.objects.filter(source=source).order_by("published_at"))


def test_rss_feed_is_stored_sanitized_and_matched(fake_server, cloudmist):
    fake_server.routes["/feed.xml"] = (
        200,
        {"Content-Type": "application/rss+xml", "ETag": '"v1"'},
        rss(),
    )
    source = make_source("rss", url=f"{fake_server.url}/feed.xml")
    result = ingest.fetch(source)
    assert result["ok"], result
    assert result["created"] == 2
    first, second = posts_of(source)
    assert first.url == "https://news.example/a"
    assert "<" not in first.title and "script" not in first.title
    assert "alert" not in first.text
    assert first.text == "Cloudmist tea is great"
    assert first.language == "en"
    mention = Mention.objects.get(object_id=str(first.pk), group=cloudmist)
    assert mention.origin == source
    assert mention.url == "https://news.example/a"
    assert mention.created_at == datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
    assert not Mention.objects.filter(object_id=str(second.pk), origin=source).exists()
    source.refresh_from_db()
    assert source.etag == '"v1"'
    assert source.failures == 0 and source.last_ok_at is not None


def test_rss_conditional_get_sends_validators_and_accepts_304(fake_server):
    def route(request):
        if request["headers"].get("If-None-Match") == '"v1"':
            return 304, {}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Mon, 02 Mar 2026"}, rss()

    fake_server.routes["/feed.xml"] = route
    source = make_source("rss", url=f"{fake_server.url}/feed.xml")
    assert ingest.fetch(source)["created"] == 2
    source.refresh_from_db()
    again = ingest.fetch(source)
    assert again["ok"] and again["created"] == 0
    last = fake_server.requests[-1]["headers"]
    assert last["If-None-Match"] == '"v1"'
    assert last["If-Modified-Since"] == "Mon, 02 Mar 2026"
    source.refresh_from_db()
    assert source.etag == '"v1"'


def test_rss_follows_next_pages(fake_server):
    fake_server.routes["/feed.xml"] = (
        200,
        {},
        rss("b", next_url=f"{fake_server.url}/page2.xml"),
    )
    fake_server.routes["/page2.xml"] = (200, {}, rss("c"))
    source = make_source("rss", url=f"{fake_server.url}/feed.xml")
    result = ingest.fetch(source)
    # Page 2 repeats item "a" (same URL and text): stored once.
    assert result["created"] == 3
    assert result["duplicates"] == 1


def test_rate_limit_backs_off_with_retry_after(fake_server):
    fake_server.routes["/feed.xml"] = (429, {"Retry-After": "7200"}, "slow down")
    source = make_source("rss", url=f"{fake_server.url}/feed.xml")
    now = timezone.now()
    result = ingest.fetch(source, now=now)
    assert not result["ok"]
    source.refresh_from_db()
    assert source.failures == 1
    assert "429" in source.last_error
    assert source.next_fetch_at >= now + datetime.timedelta(hours=2)


def test_failures_back_off_longer_each_time(fake_server):
    fake_server.routes["/feed.xml"] = (500, {}, "boom")
    source = make_source("rss", url=f"{fake_server.url}/feed.xml")
    source.interval = 10
    now = timezone.now()
    waits = []
    for _ in range(3):
        ingest.fetch(source, now=now)
        waits.append(source.next_fetch_at - now)
    assert waits == [datetime.timedelta(minutes=m) for m in (20, 40, 80)]
    assert "HTTP 500" in source.last_error


@pytest.mark.parametrize(
    "body",
    [b"<rss><channel><item><title>broken", b"\x00\xff\xfe garbage", b""],
)
def test_malformed_feed_is_an_error_with_a_reason(fake_server, body):
    fake_server.routes["/feed.xml"] = (200, {}, body)
    source = make_source("rss", url=f"{fake_server.url}/feed.xml")
    result = ingest.fetch(source)
    source.refresh_from_db()
    if result["ok"]:
        # A feed that parses to nothing is not an error, just empty.
        assert result["created"] == 0
    else:
        assert source.last_error.startswith("The feed could not be read")


@override_settings(COMMUNITY_INSIGHTS_FETCH_TIMEOUT=1)
def test_a_hanging_source_times_out_and_the_others_go_on(fake_server):
    fake_server.routes["/hang.xml"] = "hang"
    fake_server.routes["/feed.xml"] = (200, {}, rss())
    hanging = make_source("rss", url=f"{fake_server.url}/hang.xml")
    working = make_source("rss", url=f"{fake_server.url}/feed.xml")
    now = timezone.now()
    ids = {hanging.pk, working.pk}
    for source in ingest.due_sources(now).filter(pk__in=ids):
        ingest.fetch(source, now=now)
    hanging.refresh_from_db()
    working.refresh_from_db()
    assert hanging.last_error == "The server did not answer in time."
    assert working.last_error == "" and working.last_ok_at == now


@override_settings(COMMUNITY_INSIGHTS_FETCH_MAX_BYTES=1000)
def test_a_huge_answer_is_refused(fake_server):
    fake_server.routes["/feed.xml"] = (200, {}, rss() + " " * 5000)
    source = make_source("rss", url=f"{fake_server.url}/feed.xml")
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert "larger than 1000 bytes" in source.last_error


def test_huge_items_are_truncated(fake_server):
    body = RSS.format(next="", second="b").replace(
        "Nothing about tea leaves", "tea " * 20000
    )
    fake_server.routes["/feed.xml"] = (200, {}, body)
    source = make_source("rss", url=f"{fake_server.url}/feed.xml")
    assert ingest.fetch(source)["created"] == 2
    assert max(len(post.text) for post in posts_of(source)) == 10_000


def test_unreachable_source(db, settings):
    settings.COMMUNITY_INSIGHTS_ALLOW_PRIVATE_ADDRESSES = True
    source = make_source("rss", url="http://127.0.0.1:9/feed.xml")
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert source.last_error.startswith("The server could not be reached")


def test_unknown_connector_is_an_error(db):
    source = make_source("nonesuch")
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert "nonesuch" in source.last_error


def status(number, text, **extra):
    return {
        "id": str(number),
        "url": f"https://social.example/@ann/{number}",
        "content": f"<p>{text}</p>",
        "created_at": "2026-03-02T10:00:00.000Z",
        "language": "en",
        "account": {
            "acct": "ann",
            "display_name": "Ann <b>",
            "followers_count": 1200,
        },
        **extra,
    }


def test_mastodon_hashtag_timeline_pages_and_cursor(fake_server, cloudmist):
    def route(request):
        if request["query"].get("max_id") == "8":
            return 200, {}, json.dumps([status(7, "Cloudmist seven")])
        if request["query"].get("since_id") == "9":
            return 200, {}, json.dumps([])
        link = f'<{fake_server.url}/api/v1/timelines/tag/tea?max_id=8>; rel="next"'
        page = [status(9, "Cloudmist nine"), status(8, "Cloudmist eight")]
        return 200, {"Link": link}, json.dumps(page)

    fake_server.routes["/api/v1/timelines/tag/tea"] = route
    source = make_source("mastodon", instance_url=fake_server.url, hashtag="#tea")
    result = ingest.fetch(source)
    assert result["created"] == 3, result
    source.refresh_from_db()
    assert source.cursor == "9"
    post = ExternalPost.objects.get(source=source, external_id="9")
    assert post.author_handle == "@ann@127.0.0.1"
    assert post.author_name == "Ann"
    assert post.reach == 1200
    mention = Mention.objects.get(object_id=str(post.pk))
    assert mention.author == "@ann@127.0.0.1" and mention.reach == 1200
    assert ingest.fetch(source)["created"] == 0
    assert fake_server.requests[-1]["query"]["since_id"] == "9"


def test_mastodon_search_with_token(fake_server):
    fake_server.routes["/api/v2/search"] = (
        200,
        {},
        json.dumps({"statuses": [status(1, "searched tea"), "junk"]}),
    )
    source = make_source(
        "mastodon", instance_url=fake_server.url, query="tea", key_name="masto"
    )
    with override_settings(COMMUNITY_INSIGHTS_API_KEYS={"masto": "tok"}):
        assert ingest.fetch(source)["created"] == 1
    assert fake_server.requests[-1]["headers"]["Authorization"] == "Bearer tok"


def test_mastodon_malformed_answer(fake_server):
    fake_server.routes["/api/v1/timelines/tag/tea"] = (200, {}, '{"not": "a list"}')
    source = make_source("mastodon", instance_url=fake_server.url, hashtag="tea")
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert source.last_error == "The answer is not a list of posts."


def bsky_post(number, text):
    return {
        "uri": f"at://did:plc:x/app.bsky.feed.post/{number}",
        "author": {"handle": "bob.bsky.social", "displayName": "Bob"},
        "record": {"text": text, "createdAt": "2026-03-02T10:00:00Z", "langs": ["zh"]},
    }


def test_bluesky_search_follows_the_cursor(fake_server):
    def route(request):
        if request["query"].get("cursor") == "p2":
            return 200, {}, json.dumps({"posts": [bsky_post(3, "三号 茶")]})
        page = {"posts": [bsky_post(1, "一号 茶"), bsky_post(2, "二号 茶")]}
        return 200, {}, json.dumps({**page, "cursor": "p2"})

    fake_server.routes["/xrpc/app.bsky.feed.searchPosts"] = route
    source = make_source("bluesky", query="茶", service_url=fake_server.url)
    assert ingest.fetch(source)["created"] == 3
    post = ExternalPost.objects.get(source=source, text="三号 茶")
    assert post.url == "https://bsky.app/profile/bob.bsky.social/post/3"
    assert post.language == "zh"
    assert fake_server.requests[0]["query"]["q"] == "茶"


def test_bluesky_rate_limited(fake_server):
    fake_server.routes["/xrpc/app.bsky.feed.searchPosts"] = (429, {}, "")
    source = make_source("bluesky", query="tea", service_url=fake_server.url)
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert source.failures == 1 and "429" in source.last_error


def reddit_child(name, title):
    return {
        "data": {
            "name": name,
            "title": title,
            "selftext": "",
            "permalink": f"/r/tea/comments/{name}/",
            "author": "carol",
            "created_utc": 1772445600,
            "subreddit_subscribers": 5000,
        }
    }


def test_reddit_pages_until_the_last_seen_post(fake_server):
    def route(request):
        if request["query"].get("after") == "t3_b":
            children = [reddit_child("t3_c", "Third tea"), reddit_child("t3_d", "x")]
            return 200, {}, json.dumps({"data": {"children": children, "after": "z"}})
        children = [reddit_child("t3_a", "First tea"), reddit_child("t3_b", "Sec tea")]
        return 200, {}, json.dumps({"data": {"children": children, "after": "t3_b"}})

    fake_server.routes["/search.json"] = route
    source = make_source("reddit", query="tea", base_url=fake_server.url)
    source.cursor = "t3_d"
    result = ingest.fetch(source)
    assert result["created"] == 3
    source.refresh_from_db()
    assert source.cursor == "t3_a"
    post = ExternalPost.objects.get(source=source, external_id="t3_a")
    assert post.url == "https://www.reddit.com/r/tea/comments/t3_a/"
    assert post.author_handle == "u/carol" and post.reach == 5000


def test_reddit_broken_json(fake_server):
    fake_server.routes["/search.json"] = (200, {}, "<html>maintenance</html>")
    source = make_source("reddit", query="tea", base_url=fake_server.url)
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert source.last_error == "The answer is not valid JSON."


def weibo_status(number, text):
    return {
        "idstr": str(number),
        "text": text,
        "created_at": "Mon Mar 02 18:00:00 +0800 2026",
        "user": {"idstr": "42", "screen_name": "茶友", "followers_count": 90000},
    }


@override_settings(COMMUNITY_INSIGHTS_API_KEYS={"weibo": "secret-token"})
def test_weibo_search_with_key(fake_server):
    fake_server.routes["/2/search/topics.json"] = (
        200,
        {},
        json.dumps({"statuses": [weibo_status(1, "西湖龙井茶真香")]}),
    )
    source = make_source(
        "weibo", query="龙井", key_name="weibo", base_url=fake_server.url
    )
    assert ingest.fetch(source)["created"] == 1
    assert fake_server.requests[0]["query"]["access_token"] == "secret-token"
    post = ExternalPost.objects.get(source=source)
    assert post.url == "https://weibo.com/42/1"
    assert post.author_handle == "@茶友" and post.language == "zh"
    assert post.published_at == datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)


def test_weibo_without_key_explains(db):
    source = make_source("weibo", query="龙井", key_name="missing")
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert "missing" in source.last_error


@override_settings(COMMUNITY_INSIGHTS_API_KEYS={"weibo": "bad"})
def test_weibo_api_error(fake_server):
    fake_server.routes["/2/search/topics.json"] = (
        200,
        {},
        json.dumps({"error_code": 21332, "error": "invalid_access_token"}),
    )
    source = make_source("weibo", query="x", key_name="weibo", base_url=fake_server.url)
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert "invalid_access_token" in source.last_error


@override_settings(COMMUNITY_INSIGHTS_API_KEYS={"weibo": "tok"})
def test_weibo_rate_limit_error_code_backs_off(fake_server):
    fake_server.routes["/2/search/topics.json"] = (
        200,
        {},
        json.dumps({"error_code": 10023, "error": "User requests out of rate limit!"}),
    )
    source = make_source("weibo", query="x", key_name="weibo", base_url=fake_server.url)
    now = timezone.now()
    assert not ingest.fetch(source, now=now)["ok"]
    source.refresh_from_db()
    assert "10023" in source.last_error
    assert source.next_fetch_at >= now + datetime.timedelta(hours=1)


def test_mastodon_next_link_to_another_server_is_not_followed(fake_server):
    link = '<http://169.254.169.254/latest/meta-data>; rel="next"'
    fake_server.routes["/api/v1/timelines/tag/tea"] = (
        200,
        {"Link": link},
        json.dumps([status(1, "one tea")]),
    )
    source = make_source("mastodon", instance_url=fake_server.url, hashtag="tea")
    assert ingest.fetch(source)["created"] == 1
    assert len(fake_server.requests) == 1


CONNECTORS = [
    ("rss", "/feed.xml", {"url": "{base}/feed.xml"}),
    (
        "mastodon",
        "/api/v1/timelines/tag/tea",
        {"instance_url": "{base}", "hashtag": "tea"},
    ),
    (
        "bluesky",
        "/xrpc/app.bsky.feed.searchPosts",
        {"query": "t", "service_url": "{base}"},
    ),
    ("reddit", "/search.json", {"query": "tea", "base_url": "{base}"}),
    (
        "weibo",
        "/2/search/topics.json",
        {"query": "t", "key_name": "w", "base_url": "{base}"},
    ),
]


def configured(fake_server, connector, config):
    config = {key: value.format(base=fake_server.url) for key, value in config.items()}
    return make_source(connector, **config)


@pytest.mark.parametrize(("connector", "path", "config"), CONNECTORS)
@override_settings(
    COMMUNITY_INSIGHTS_FETCH_TIMEOUT=1, COMMUNITY_INSIGHTS_API_KEYS={"w": "k"}
)
def test_every_connector_times_out_on_a_hanging_server(
    fake_server, connector, path, config
):
    fake_server.routes[path] = "hang"
    source = configured(fake_server, connector, config)
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert source.last_error == "The server did not answer in time."


@pytest.mark.parametrize(("connector", "path", "config"), CONNECTORS)
@override_settings(COMMUNITY_INSIGHTS_API_KEYS={"w": "k"})
def test_every_connector_backs_off_when_rate_limited(
    fake_server, connector, path, config
):
    fake_server.routes[path] = (429, {"Retry-After": "600"}, "")
    source = configured(fake_server, connector, config)
    now = timezone.now()
    assert not ingest.fetch(source, now=now)["ok"]
    source.refresh_from_db()
    assert source.next_fetch_at >= now + datetime.timedelta(minutes=60)
    assert "429" in source.last_error


@pytest.mark.parametrize(("connector", "path", "config"), CONNECTORS)
@override_settings(COMMUNITY_INSIGHTS_API_KEYS={"w": "k"})
def test_every_connector_survives_garbage(fake_server, connector, path, config):
    fake_server.routes[path] = (200, {}, b'{"posts": 3, "data": [1], "statuses": {}}')
    source = configured(fake_server, connector, config)
    result = ingest.fetch(source)
    source.refresh_from_db()
    if result["ok"]:
        assert result["created"] == 0 and source.last_error == ""
    else:
        assert source.last_error and source.failures == 1
