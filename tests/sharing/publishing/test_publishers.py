"""Every publisher against its imitation API on loopback: success, rate
limit, expired token, malformed answer, timeout."""

import pytest

from sharing.publishers.base import (
    MalformedResponse,
    Message,
    NotConfigured,
    PublishTimeout,
    RateLimited,
    Rejected,
    TokenExpired,
    Unavailable,
)
from sharing.registry import registry
from tests.caches import clear_cache

from .conftest import PLATFORMS


def message(cover=None, key="post-1"):
    image = None
    if cover is not None:

        def image():
            with cover.file.open("rb") as handle:
                return ("cover.jpg", handle.read(), "image/jpeg")

    return Message(
        text="Spring harvest is in #tea https://tea.test/spring/?utm_source=x",
        link="https://tea.test/spring/?utm_source=x",
        title="Spring harvest",
        summary="The first flush of the year.",
        image=image,
        key=key,
    )


def publish(account, cover=None, key="post-1"):
    return registry.get(account.platform).publish(account, message(cover, key))


@pytest.fixture(autouse=True)
def _no_cached_tokens():
    # This process's keys only: on Redis, cache.clear() would flush every
    # test process's (tests/caches.py).
    clear_cache()


def test_publishing_platforms_are_registered():
    assert {p.id for p in registry.publish_platforms()} >= set(PLATFORMS)
    assert not registry.get("facebook").can_publish


@pytest.mark.parametrize("platform", PLATFORMS)
def test_success(platform, fake, account_factory, cover):
    account = account_factory(platform)
    result = publish(account, cover)
    assert result.remote_id
    posted = [post for post in fake.posts if post[0] == platform]
    assert len(posted) == 1
    if platform != "wechat":
        assert result.remote_url.startswith(("http://", "https://"))


def test_weibo_post_carries_text_picture_and_link(fake, account_factory, cover):
    result = publish(account_factory("weibo"), cover)
    _, form = fake.posts[-1]
    assert "https://tea.test/spring/" in form["status"]
    assert form["pic"][:2] == b"\xff\xd8"  # a JPEG
    assert result.remote_url == f"https://weibo.com/5000001/{result.remote_id}"


def test_wechat_draft_with_cover_and_cached_token(fake, account_factory, cover):
    account = account_factory("wechat")
    first = publish(account, cover)
    second = publish(account, cover, key="post-2")
    assert first.remote_id.startswith("draft-") and second.remote_id != first.remote_id
    # One access token for both drafts: cached until it expires.
    assert [p for p in fake.posts if p[0] == "wechat-token"] == [
        ("wechat-token", {"appid": "wx-app"})
    ]
    article = [p for p in fake.posts if p[0] == "wechat"][-1][1]
    assert article["title"] == "Spring harvest"
    assert article["content_source_url"] == "https://tea.test/spring/?utm_source=x"
    assert "Spring harvest is in" in article["content"]


def test_wechat_needs_a_cover(fake, account_factory):
    with pytest.raises(Rejected):
        publish(account_factory("wechat"))
    assert not [p for p in fake.posts if p[0] == "wechat"]


def test_wechat_token_revoked_early_is_fetched_again(fake, account_factory, cover):
    account = account_factory("wechat")
    publish(account, cover)
    fake.tokens.clear()  # another server fetched a new token: ours is dead
    result = publish(account, cover, key="post-2")
    assert result.remote_id.startswith("draft-")
    assert len([p for p in fake.posts if p[0] == "wechat-token"]) == 2


def test_wechat_wrong_secret_is_a_configuration_error(fake, account_factory, cover):
    with pytest.raises(NotConfigured, match="app ID or secret"):
        publish(account_factory("wechat", client_secret="nope"), cover)


def test_telegram_sends_a_photo_when_there_is_one(fake, account_factory, cover):
    publish(account_factory("telegram"), cover)
    publish(account_factory("telegram"))
    methods = [p[1]["method"] for p in fake.posts if p[0] == "telegram"]
    assert methods == ["sendPhoto", "sendMessage"]


def test_linkedin_shares_the_link_as_an_article(fake, account_factory):
    result = publish(account_factory("linkedin"))
    _, body = fake.posts[-1]
    assert body["author"] == "urn:li:organization:42"
    assert (
        body["content"]["article"]["source"] == "https://tea.test/spring/?utm_source=x"
    )
    assert result.remote_url == (
        f"https://www.linkedin.com/feed/update/{result.remote_id}/"
    )


@pytest.mark.parametrize("platform", PLATFORMS)
def test_rate_limit(platform, fake, account_factory, cover):
    fake.modes[platform] = "rate_limit"
    with pytest.raises(RateLimited) as caught:
        publish(account_factory(platform), cover)
    assert caught.value.retryable
    expected = {
        "x": (800, 900),
        "linkedin": (120, 120),
        "mastodon": (300, 300),
        "telegram": (7, 7),
        "webhook": (30, 30),
    }.get(platform)
    if expected:
        assert expected[0] <= caught.value.retry_after <= expected[1]
    assert not [p for p in fake.posts if p[0] == platform]


@pytest.mark.parametrize(
    "platform,field",
    [
        ("weibo", "access_token"),
        ("mastodon", "access_token"),
        ("telegram", "access_token"),
        ("x", "access_token"),
        ("linkedin", "access_token"),
        ("webhook", "client_secret"),
    ],
)
def test_expired_token(platform, field, fake, account_factory, cover):
    account = account_factory(platform, **{field: "stale"})
    with pytest.raises(TokenExpired) as caught:
        publish(account, cover)
    assert not caught.value.retryable


@pytest.mark.parametrize("platform", ["x", "linkedin"])
def test_expired_token_is_refreshed(platform, fake, account_factory):
    fake.refresh_tokens.add("good-refresh")
    account = account_factory(
        platform, access_token="stale", refresh_token="good-refresh"
    )
    result = publish(account)
    assert result.remote_id
    account.refresh_from_db()
    # The new tokens are saved (encrypted) on the account.
    assert account.access_token in fake.tokens
    assert account.refresh_token in fake.refresh_tokens
    assert account.token_expires_at is not None


@pytest.mark.parametrize("platform", ["x", "linkedin"])
def test_refused_refresh_token(platform, fake, account_factory):
    account = account_factory(platform, access_token="stale", refresh_token="revoked")
    with pytest.raises(TokenExpired, match="authorise the account again"):
        publish(account)


def test_token_about_to_expire_is_refreshed_first(fake, account_factory):
    import datetime

    from django.utils import timezone

    fake.refresh_tokens.add("good-refresh")
    account = account_factory("x", refresh_token="good-refresh")
    account.token_expires_at = timezone.now() + datetime.timedelta(seconds=10)
    account.save()
    publish(account)
    account.refresh_from_db()
    assert account.access_token != "x-token"
    assert [path for _, path, _ in fake.requests] == ["/2/oauth2/token", "/2/tweets"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_malformed_answer(platform, fake, account_factory, cover):
    fake.modes[platform] = "malformed"
    with pytest.raises(MalformedResponse) as caught:
        publish(account_factory(platform), cover)
    # The post may exist: never retried by itself.
    assert not caught.value.retryable


@pytest.mark.parametrize("platform", PLATFORMS)
def test_server_error(platform, fake, account_factory, cover):
    fake.modes[platform] = "server_error"
    with pytest.raises(Unavailable) as caught:
        publish(account_factory(platform), cover)
    assert caught.value.retryable


@pytest.mark.parametrize("platform", PLATFORMS)
def test_timeout(platform, fake, account_factory, cover):
    fake.modes[platform] = "timeout"
    with pytest.raises(PublishTimeout) as caught:
        publish(account_factory(platform), cover)
    # Retried only where the platform ignores a repeated idempotency key.
    assert caught.value.retryable == (platform in {"mastodon", "webhook"})


def test_mastodon_idempotency_key_posts_once(fake, account_factory):
    account = account_factory("mastodon")
    first = publish(account, key="same")
    second = publish(account, key="same")
    assert first.remote_id == second.remote_id
    assert len([p for p in fake.posts if p[0] == "mastodon"]) == 1


def test_unreachable_platform(fake, account_factory, settings):
    settings.SHARING_PUBLISH_API_BASES = {"weibo": "http://127.0.0.1:9"}
    with pytest.raises(Unavailable):
        publish(account_factory("weibo"))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_missing_credentials(platform, fake, account_factory):
    account = account_factory(
        platform, access_token="", client_secret="", client_id="", api_base=""
    )
    with pytest.raises(NotConfigured):
        publish(account)
    assert not account.can_publish
    assert fake.requests == []


def test_compose_per_platform():
    link = "https://tea.test/" + "a" * 100
    weibo = registry.get("weibo").get_publisher()
    x = registry.get("x").get_publisher()
    linkedin = registry.get("linkedin").get_publisher()
    assert weibo.compose("Hi", ["tea", "#spring"], link) == (
        f"Hi\n\n#tea# #spring#\n\n{link}"
    )
    composed = x.compose("Hi", ["green tea"], link)
    assert composed == f"Hi\n\n#greentea\n\n{link}"
    # X counts any link as 23 characters.
    assert x.length(composed, link) == len("Hi\n\n#greentea\n\n") + 23
    # LinkedIn sends the link apart, as an article.
    assert linkedin.compose("Hi", [], link) == "Hi"
