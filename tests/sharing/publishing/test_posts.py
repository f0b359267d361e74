"""From the page editor's posts to sent own-media posts: queued on publish,
sent by the task, retried with back-off, idempotent, never blocking the
page; and what their links bring back (visits, sign-ups)."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from sharing import publishing
from sharing.models import OwnMediaPost, PublishAttempt


@pytest.fixture
def page(page_factory, cover):
    return page_factory(title="Spring harvest", image=cover)


def add_post(page, account, text="New tea is in", **fields):
    return OwnMediaPost.objects.create(page=page, account=account, text=text, **fields)


@pytest.fixture
def publish_page(django_capture_on_commit_callbacks):
    """Publish a page as the editor does, running what waits for the commit
    (the tests run in a transaction that never commits)."""

    def publish(page, **changes):
        page.refresh_from_db()
        for name, value in changes.items():
            setattr(page, name, value)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()

    return publish


def test_publishing_the_page_sends_its_posts(publish_page, page, fake, account_factory):
    weibo = account_factory("weibo")
    mastodon = account_factory("mastodon")
    add_post(page, weibo, hashtags="tea spring")
    add_post(page, mastodon)
    publish_page(page)

    attempts = PublishAttempt.objects.filter(object_id=page.pk).order_by("platform")
    assert [(a.platform, a.state) for a in attempts] == [
        ("mastodon", "sent"),
        ("weibo", "sent"),
    ]
    for attempt in attempts:
        assert attempt.remote_id and attempt.remote_url
        assert attempt.tries == 1 and attempt.sent_at is not None
        assert attempt.link == (
            f"{page.full_url}?utm_source={attempt.platform}&utm_medium=social"
            f"&utm_campaign=ownmedia-{attempt.pk}"
        )
    weibo_text = attempts.get(platform="weibo").text
    assert weibo_text.startswith("New tea is in\n\n#tea# #spring#\n\nhttp")
    assert ("weibo", {"access_token": "weibo-token", "status": weibo_text}) in [
        (name, {k: v for k, v in form.items() if k != "pic"})
        for name, form in fake.posts
    ]

    # Publishing the page again posts nothing again.
    publish_page(page)
    assert PublishAttempt.objects.filter(object_id=page.pk).count() == 2
    assert len([p for p in fake.posts if p[0] in {"weibo", "mastodon"}]) == 2


def test_a_failing_post_never_blocks_the_page(
    publish_page, page, fake, account_factory
):
    fake.modes["weibo"] = "malformed"
    add_post(page, account_factory("weibo"))
    publish_page(page, title="Spring harvest, updated")
    page.refresh_from_db()
    assert page.live and page.title == "Spring harvest, updated"
    attempt = PublishAttempt.objects.get(object_id=page.pk)
    assert attempt.state == "failed"
    assert "could not be read" in attempt.error


def test_a_broken_publisher_never_blocks_the_page(
    publish_page, page, fake, account_factory, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(publishing, "create_attempt", explode)
    add_post(page, account_factory("weibo"))
    publish_page(page)
    page.refresh_from_db()
    assert page.live


def test_scheduled_post_waits_for_its_time(publish_page, page, fake, account_factory):
    later = timezone.now() + datetime.timedelta(hours=2)
    add_post(page, account_factory("mastodon"), publish_at=later)
    publish_page(page)
    attempt = PublishAttempt.objects.get(object_id=page.pk)
    assert attempt.state == "queued" and attempt.next_try_at == later
    assert str(attempt.status_label) == "scheduled"
    assert publishing.publish_due() == 0
    assert publishing.publish_due(now=later) == 1
    attempt.refresh_from_db()
    assert attempt.state == "sent"


def test_rate_limit_backs_off_then_fails(
    publish_page, page, fake, account_factory, settings
):
    settings.SHARING_PUBLISH_MAX_TRIES = 3
    fake.modes["mastodon"] = "rate_limit"
    add_post(page, account_factory("mastodon"))
    publish_page(page)
    attempt = PublishAttempt.objects.get(object_id=page.pk)
    assert attempt.state == "queued" and attempt.tries == 1
    assert str(attempt.status_label) == "retrying"
    # Mastodon asked for 300 s, more than the first back-off (60 s).
    wait = (attempt.next_try_at - attempt.updated_at).total_seconds()
    assert 299 <= wait <= 301

    now = attempt.next_try_at
    publishing.run(attempt.pk, now=now)
    attempt.refresh_from_db()
    assert attempt.tries == 2 and attempt.state == "queued"
    # Doubled: 120 s, still under the 300 s asked for.
    assert attempt.next_try_at - now == datetime.timedelta(seconds=300)

    publishing.run(attempt.pk, now=attempt.next_try_at)
    attempt.refresh_from_db()
    assert attempt.state == "failed" and attempt.tries == 3
    assert attempt.error_code == "rate_limited"
    assert [entry["state"] for entry in attempt.history] == [
        "queued",
        "sending",
        "queued",
        "sending",
        "queued",
        "sending",
        "failed",
    ]


def test_backoff_grows_exponentially(settings):
    settings.SHARING_PUBLISH_RETRY_DELAY = 10
    settings.SHARING_PUBLISH_MAX_RETRY_DELAY = 100
    assert [publishing.backoff(tries) for tries in range(1, 6)] == [
        10,
        20,
        40,
        80,
        100,
    ]
    assert publishing.backoff(1, retry_after=50) == 50
    assert publishing.backoff(1, retry_after=500) == 500


def test_a_task_run_twice_posts_once(publish_page, page, fake, account_factory):
    add_post(page, account_factory("weibo"))
    publish_page(page)
    attempt = PublishAttempt.objects.get(object_id=page.pk)
    assert attempt.state == "sent"
    assert publishing.run(attempt.pk) is None
    attempt.state = "sending"  # a worker died after calling the platform
    attempt.save()
    assert publishing.run(attempt.pk) is None
    assert len([p for p in fake.posts if p[0] == "weibo"]) == 1


def test_post_left_sending_is_released_for_an_editor(
    publish_page, page, fake, account_factory, settings
):
    """A worker that died mid-call leaves a post "sending": after
    SHARING_PUBLISH_STUCK_AFTER the next publish_own_media run marks it
    failed with the reason (never sent again by itself); the editor retries."""
    settings.SHARING_PUBLISH_STUCK_AFTER = 600
    add_post(page, account_factory("weibo"))
    publish_page(page)
    attempt = PublishAttempt.objects.get(object_id=page.pk)
    PublishAttempt.objects.filter(pk=attempt.pk).update(state="sending")
    sent_before = len(fake.posts)
    now = timezone.now()

    # Still within the delay: a slow call may yet answer.
    assert publishing.publish_due(now=now + datetime.timedelta(seconds=590)) == 0
    attempt.refresh_from_db()
    assert attempt.state == "sending"

    assert publishing.release_stuck(now=now + datetime.timedelta(seconds=610)) == 1
    attempt.refresh_from_db()
    assert attempt.state == "failed" and attempt.error_code == "interrupted"
    assert "may or may not be on the account" in attempt.error
    assert attempt.history[-1]["state"] == "failed"
    assert len(fake.posts) == sent_before  # nothing sent again by itself
    assert publishing.release_stuck(now=now + datetime.timedelta(days=1)) == 0
    # Other states are left alone.
    assert attempt.can_retry


def test_retry_and_cancel(
    publish_page, page, fake, account_factory, django_capture_on_commit_callbacks
):
    fake.modes["weibo"] = "malformed"
    add_post(page, account_factory("weibo"))
    publish_page(page)
    attempt = PublishAttempt.objects.get(object_id=page.pk)
    assert attempt.state == "failed"
    fake.modes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        attempt = publishing.retry(attempt)
    attempt.refresh_from_db()
    assert attempt.state == "sent" and attempt.tries == 2
    # A sent post can be neither retried nor cancelled.
    assert publishing.cancel(attempt).state == "sent"
    assert publishing.retry(attempt).state == "sent"


def test_cancelled_post_is_not_sent(publish_page, page, fake, account_factory):
    later = timezone.now() + datetime.timedelta(hours=1)
    add_post(page, account_factory("weibo"), publish_at=later)
    publish_page(page)
    attempt = publishing.cancel(PublishAttempt.objects.get(object_id=page.pk))
    assert attempt.state == "cancelled"
    assert publishing.publish_due(now=later) == 0
    assert not [p for p in fake.posts if p[0] == "weibo"]


def test_state_machine_refuses_impossible_moves():
    attempt = PublishAttempt(state="sent")
    with pytest.raises(ValueError):
        attempt.move_to("queued")
    attempt = PublishAttempt(state="queued")
    with pytest.raises(ValueError):
        attempt.move_to("sent")


def test_post_too_long_for_the_platform(page, fake, account_factory):
    from django.core.exceptions import ValidationError

    post = OwnMediaPost(page=page, account=account_factory("x"), text="t" * 270)
    with pytest.raises(ValidationError, match="Too long for X"):
        post.clean()
    post.text = "t" * 200
    post.clean()


def test_post_to_an_account_without_credentials(page, fake, account_factory):
    from django.core.exceptions import ValidationError

    post = OwnMediaPost(
        page=page, account=account_factory("weibo", access_token=""), text="Hi"
    )
    with pytest.raises(ValidationError, match="cannot be published to"):
        post.clean()


def test_visits_and_signups_per_post(publish_page, page, fake, account_factory, client):
    add_post(page, account_factory("weibo"))
    publish_page(page)
    attempt = PublishAttempt.objects.get(object_id=page.pk)
    path = attempt.link.split("sharing.test", 1)[1]
    agent = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone)"}
    assert client.get(path, HTTP_HOST="sharing.test", **agent).status_code == 200
    # The same visitor again within the window counts once.
    client.get(path, HTTP_HOST="sharing.test", **agent)
    # A link naming the post with another platform does not count for it.
    other = path.replace("utm_source=weibo", "utm_source=x")
    client.get(other, HTTP_HOST="sharing.test", HTTP_USER_AGENT="Other/1")
    attempt.refresh_from_db()
    assert attempt.visits == 1

    # A sign-up: from the session a visit left, else the referrer.
    request = RequestFactory().post("/accounts/signup/")
    request.session = SessionStore()
    request.session[publishing.SESSION_KEY] = attempt.pk
    assert publishing.record_signup(request) == attempt.pk
    request = RequestFactory().post(
        "/accounts/signup/", HTTP_REFERER=f"http://sharing.test{path}"
    )
    request.session = SessionStore()
    assert publishing.record_signup(request) == attempt.pk
    # Nothing to attribute: nothing counted.
    request = RequestFactory().post("/accounts/signup/")
    request.session = SessionStore()
    assert publishing.record_signup(request) is None
    attempt.refresh_from_db()
    assert attempt.signups == 2


def test_remember_campaign_on_the_signup_page(
    publish_page, page, fake, account_factory
):
    add_post(page, account_factory("weibo"))
    publish_page(page)
    attempt = PublishAttempt.objects.get(object_id=page.pk)
    request = RequestFactory().get("/accounts/signup/", HTTP_REFERER=attempt.link)
    request.session = SessionStore()
    assert publishing.remember_campaign(request) == attempt.pk
    assert request.session[publishing.SESSION_KEY] == attempt.pk


@pytest.mark.parametrize(
    "value", ["", "ownmedia-", "ownmedia-abc", "share", "ownmedia-" + "9" * 30]
)
def test_hostile_campaigns_are_ignored(value):
    assert publishing.attempt_id_from_campaign(value) is None


def test_publish_any_shareable(
    page, fake, account_factory, django_capture_on_commit_callbacks
):
    """Another app (community posts an editor features) queues a post of
    any Shareable with create_attempt."""
    with django_capture_on_commit_callbacks(execute=True):
        attempt = publishing.create_attempt(
            page, account_factory("telegram"), "Featured", hashtags="tea"
        )
    attempt.refresh_from_db()
    assert attempt.state == "sent"
    assert attempt.remote_url.startswith("https://t.me/cloudmist/")
