"""Share counters: the database backend (one upsert per count, the default
without Redis) and the Redis backend (counts in Redis, flushed to the
database in batches, each exactly once, whatever stops where). The Redis
tests run where REDIS_URL is set (CI's PostgreSQL + Redis pass)."""

import datetime
import io
import threading

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends
from wagtail.models import Page, Site

from sharing import app_settings, counters, rollups, tracking
from sharing.checks import check_counters
from sharing.counters import Bucket, FlushResult
from sharing.counters.redis import RedisCounterBackend
from sharing.models import FlushedShareBatch, ShareCount, ShareDayTotal
from sharing.tasks import flush_share_counts

REDIS = "sharing.counters.redis.RedisCounterBackend"
DATABASE = "sharing.counters.database.DatabaseCounterBackend"
CHROME = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"


def redis_cache():
    backend = django_settings.CACHES.get(app_settings.CACHE_ALIAS, {}).get("BACKEND")
    return (backend or "").startswith("django_redis.")


@pytest.fixture
def redis_counters(settings, db):
    """The Redis backend, with tasks kept in memory (not run): the tests run
    the flush themselves."""
    if not redis_cache():
        pytest.skip(
            "The Redis counter backend needs Redis: set REDIS_URL (it runs in "
            "CI's PostgreSQL + Redis pass)"
        )
    settings.SHARING_COUNTER_BACKEND = REDIS
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    backend = counters.backend()
    assert isinstance(backend, RedisCounterBackend)
    return backend


def enqueued():
    return [
        result
        for result in task_backends["default"].results
        if result.task.name == flush_share_counts.name
    ]


def stored():
    """{(day, event, platform, object id): count} in the database."""
    return {
        (row.day, row.event, row.platform, row.object_id): row.count
        for row in ShareCount.objects.all()
    }


def bucket(site, platform="weibo", object_id=1, event="share", day=None):
    return Bucket(
        day or timezone.localdate(), site.pk, event, platform, "page", object_id
    )


def expected(counts):
    return {
        (b.day, b.event, b.platform, b.object_id): n for b, n in counts.items() if n
    }


def click_many(backend, site, n=120):
    """n counts spread over buckets: platforms, objects, events and days."""
    counts = {}
    today = timezone.localdate()
    for index in range(n):
        b = bucket(
            site,
            platform=("weibo", "wechat", "x")[index % 3],
            object_id=1 + index % 4,
            event=("share", "visit")[index % 2],
            day=today - datetime.timedelta(days=index % 2),
        )
        assert backend.count(b)
        counts[b] = counts.get(b, 0) + 1
    return counts


# The database backend ------------------------------------------------------


def test_without_redis_the_database_backend_counts_at_once(share_site, settings):
    settings.SHARING_COUNTER_BACKEND = DATABASE
    key = ("page", 7)
    assert counters.count("share", "weibo", key, share_site.pk, once="a", window=60)
    assert not counters.count("share", "weibo", key, share_site.pk, once="a", window=60)
    assert counters.count("share", "weibo", key, share_site.pk, once="b", window=60)
    assert counters.count("visit", "x", key, share_site.pk)
    assert stored() == {
        (timezone.localdate(), "share", "weibo", 7): 2,
        (timezone.localdate(), "visit", "x", 7): 1,
    }
    assert counters.flush() == FlushResult()


def test_the_default_backend_follows_the_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert app_settings.COUNTER_BACKEND == DATABASE
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert app_settings.COUNTER_BACKEND == REDIS
    settings.SHARING_COUNTER_BACKEND = DATABASE
    assert app_settings.COUNTER_BACKEND == DATABASE


def test_checks_refuse_a_bad_counter_configuration(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    assert check_counters(None) == []
    settings.SHARING_COUNTER_BACKEND = REDIS
    assert [error.id for error in check_counters(None)] == ["sharing.E021"]
    settings.SHARING_COUNTER_BACKEND = "sharing.counters.nowhere.Backend"
    assert [error.id for error in check_counters(None)] == ["sharing.E020"]
    settings.SHARING_COUNTER_BACKEND = DATABASE
    settings.SHARING_COUNTER_FLUSH_INTERVAL = 0
    settings.SHARING_SHARE_CACHE_TIMEOUT = "soon"
    assert [error.id for error in check_counters(None)] == [
        "sharing.E022",
        "sharing.E022",
    ]


def test_a_bucket_survives_its_field_and_garbage_does_not():
    b = Bucket(datetime.date(2026, 5, 17), 3, "share", "weibo", "post", 2**62)
    assert Bucket.from_field(b.field()) == b
    assert Bucket.from_field(b.field().encode()) == b
    for garbage in [b"", b"[]", b'["2026-13-01",1,"share","x","page",1]', b"\xff"]:
        with pytest.raises(ValueError):
            Bucket.from_field(garbage)


def test_the_flush_command_without_redis(settings, db):
    settings.SHARING_COUNTER_BACKEND = DATABASE
    out = io.StringIO()
    call_command("flush_share_counts", stdout=out)
    assert out.getvalue().strip() == "Flushed 0 counts into 0 counters from 0 batches."


# The Redis backend ---------------------------------------------------------


def test_a_share_request_issues_no_query(
    redis_counters, browser_client, shared_page, django_assert_num_queries
):
    path = f"/en/share/weibo/page/{shared_page.pk}/"
    assert browser_client.get(path).status_code == 302  # caches the page's snapshot
    with django_assert_num_queries(0):
        response = browser_client.get(path, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert response["Location"].startswith("https://service.weibo.com/share/")
    with django_assert_num_queries(0):  # a repeat of the same visitor
        assert browser_client.get(path, REMOTE_ADDR="203.0.113.7").status_code == 302
    assert not ShareCount.objects.exists()  # waiting in Redis
    assert len(enqueued()) == 1  # one flush for the batch
    assert enqueued()[0].task.run_after > timezone.now()
    assert counters.flush() == FlushResult(batches=1, counters=1, counts=2)
    assert ShareCount.total_for("page", shared_page.pk) == 2


def test_a_flush_is_scheduled_once_per_batch(redis_counters, share_site, settings):
    settings.SHARING_COUNTER_FLUSH_INTERVAL = 7
    before = timezone.now()
    for _n in range(5):
        counters.count("share", "x", ("page", 1), share_site.pk)
    [scheduled] = enqueued()
    delay = scheduled.task.run_after - before
    assert datetime.timedelta(seconds=7) <= delay < datetime.timedelta(seconds=9)
    flush_share_counts.call()  # what the worker runs
    assert ShareCount.total_for("page", 1) == 5
    counters.count("share", "x", ("page", 1), share_site.pk)
    assert len(enqueued()) == 2  # the next batch, its own flush


def test_n_counts_flush_exactly_and_a_second_flush_adds_nothing(
    redis_counters, share_site
):
    counts = click_many(redis_counters, share_site, 240)
    assert redis_counters.waiting() == counts
    result = counters.flush()
    assert (result.batches, result.counters, result.counts) == (1, len(counts), 240)
    assert stored() == expected(counts)
    assert redis_counters.waiting() == {}
    assert counters.flush() == FlushResult()
    assert stored() == expected(counts)
    # More counts for the same buckets add to the rows.
    more = click_many(redis_counters, share_site, 24)
    counters.flush()
    assert stored() == expected(
        {b: counts.get(b, 0) + more.get(b, 0) for b in counts | more}
    )


def test_a_flush_killed_inside_its_transaction_is_redone(
    redis_counters, share_site, monkeypatch
):
    counts = click_many(redis_counters, share_site)
    add_counts = ShareCount.add_counts.__func__

    def add_then_die(cls, rows):
        add_counts(cls, rows)
        raise SystemError("worker killed after adding the counts")

    monkeypatch.setattr(ShareCount, "add_counts", classmethod(add_then_die))
    with pytest.raises(SystemError):
        counters.flush()
    assert not ShareCount.objects.exists()  # rolled back
    assert not FlushedShareBatch.objects.exists()
    assert redis_counters.waiting() == counts  # the batch waits in Redis
    monkeypatch.undo()
    assert counters.flush().counts == 120
    assert stored() == expected(counts)
    assert counters.flush() == FlushResult()
    assert stored() == expected(counts)


def test_a_flush_killed_after_its_commit_is_not_added_twice(
    redis_counters, share_site, monkeypatch
):
    counts = click_many(redis_counters, share_site)

    def die(*args):
        raise SystemError("worker killed before Redis forgot the batch")

    monkeypatch.setattr(RedisCounterBackend, "forget", die)
    with pytest.raises(SystemError):
        counters.flush()
    assert stored() == expected(counts)  # committed
    connection, keys = redis_counters.connection(), redis_counters.keys()
    [left] = connection.smembers(keys.batches)  # still registered in Redis
    assert FlushedShareBatch.objects.filter(batch_id=left.decode()).exists()
    assert redis_counters.waiting() == {}
    monkeypatch.undo()
    assert counters.flush() == FlushResult()  # found recorded: only deleted
    assert stored() == expected(counts)
    assert not connection.smembers(keys.batches)
    assert not connection.exists(keys.batch(left.decode()))


def test_the_same_batch_flushed_twice_is_added_once(redis_counters, share_site):
    counts = click_many(redis_counters, share_site, 30)
    connection, keys = redis_counters.connection(), redis_counters.keys()
    connection.rename(keys.live, keys.batch("a" * 32))
    connection.sadd(keys.batches, "a" * 32)
    copy = connection.hgetall(keys.batch("a" * 32))
    redis_counters.flush_batch(connection, keys, "a" * 32)
    # A second flusher that read the batch before the first deleted it.
    connection.hset(keys.batch("a" * 32), mapping=copy)
    connection.sadd(keys.batches, "a" * 32)
    assert redis_counters.flush_batch(connection, keys, "a" * 32) == FlushResult()
    assert stored() == expected(counts)


def test_counts_made_during_a_flush_wait_for_the_next(
    redis_counters, share_site, monkeypatch
):
    counts = click_many(redis_counters, share_site, 30)
    apply = RedisCounterBackend.apply
    late = bucket(share_site, platform="qq")

    def apply_while_clicking(self, batch_id, batch):
        for _n in range(3):
            assert self.count(late)
        return apply(self, batch_id, batch)

    monkeypatch.setattr(RedisCounterBackend, "apply", apply_while_clicking)
    counters.flush()
    monkeypatch.undo()
    assert stored() == expected(counts)
    assert redis_counters.waiting() == {late: 3}
    counters.flush()
    assert stored() == expected({**counts, late: 3})


def test_counts_from_many_threads_while_flushing_are_exact(redis_counters, share_site):
    threads, per_thread = 4, 150
    done = threading.Event()

    def click(index):
        for n in range(per_thread):
            counters.count(
                "share", ("weibo", "x")[n % 2], ("page", index), share_site.pk
            )

    workers = [threading.Thread(target=click, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    flushes = 0
    while not done.is_set():
        counters.flush()
        flushes += 1
        if not any(worker.is_alive() for worker in workers):
            done.set()
    for worker in workers:
        worker.join()
    counters.flush()
    assert flushes > 1
    for index in range(threads):
        assert ShareCount.total_for("page", index) == per_thread
    assert set(ShareCount.objects.values_list("count", flat=True)) == {per_thread // 2}


def test_a_visitor_counts_once_in_the_window(redis_counters, share_site):
    key = ("page", 5)
    for _n in range(3):
        counters.count("share", "x", key, share_site.pk, once="visitor-1", window=1)
    assert counters.count("share", "x", key, share_site.pk, once="visitor-2", window=1)
    assert not counters.count(
        "share", "x", key, share_site.pk, once="visitor-2", window=1
    )
    counters.flush()
    assert ShareCount.total_for("page", 5) == 2
    assert 0 < redis_counters.connection().ttl(redis_counters.keys().seen("visitor-1"))


def test_share_driven_visits_of_cached_pages_take_one_redis_call(
    redis_counters, share_site, django_assert_num_queries
):
    request = RequestFactory().get(
        "/en/tea/?utm_source=weibo&utm_medium=social",
        HTTP_USER_AGENT=CHROME,
        HTTP_HOST="sharing.test",
    )
    with django_assert_num_queries(0):
        assert tracking.record_visit_to(request, ("page", 9), share_site.pk)
        assert not tracking.record_visit_to(request, ("page", 9), share_site.pk)
    untagged = RequestFactory().get("/en/tea/", HTTP_USER_AGENT=CHROME)
    assert not tracking.record_visit_to(untagged, ("page", 9), share_site.pk)
    counters.flush()
    assert stored() == {(timezone.localdate(), "visit", "weibo", 9): 1}


def test_without_redis_a_count_goes_to_the_database(
    redis_counters, share_site, monkeypatch
):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(self, source, connection):
        def call(**kwargs):
            raise RedisConnectionError("Redis is down")

        return call

    monkeypatch.setattr(RedisCounterBackend, "script", down)
    assert counters.count("share", "x", ("page", 3), share_site.pk)
    assert ShareCount.total_for("page", 3) == 1


def test_counts_of_a_deleted_site_and_garbage_are_dropped(redis_counters, share_site):
    other = Site.objects.create(
        hostname="gone.test", root_page=Page.get_first_root_node()
    )
    redis_counters.count(bucket(other, object_id=4))
    redis_counters.count(bucket(share_site, object_id=4))
    connection, keys = redis_counters.connection(), redis_counters.keys()
    connection.hset(keys.live, "not a bucket", 3)
    other.delete()
    assert counters.flush().counts == 1
    assert stored() == {(timezone.localdate(), "share", "weibo", 4): 1}


def test_old_records_of_flushed_batches_are_pruned(redis_counters, share_site):
    old = timezone.now() - datetime.timedelta(days=2)
    FlushedShareBatch.objects.create(batch_id="b" * 32, flushed_at=old)
    FlushedShareBatch.objects.create(batch_id="c" * 32, flushed_at=old)
    FlushedShareBatch.objects.create(batch_id="d" * 32)
    connection, keys = redis_counters.connection(), redis_counters.keys()
    connection.sadd(keys.batches, "c" * 32)  # still in Redis: kept
    redis_counters.prune(connection, keys)
    assert set(FlushedShareBatch.objects.values_list("batch_id", flat=True)) == {
        "c" * 32,
        "d" * 32,
    }
    # Hourly: the flushes of the next hour leave old records alone.
    FlushedShareBatch.objects.create(batch_id="e" * 32, flushed_at=old)
    counters.flush()
    assert FlushedShareBatch.objects.filter(batch_id="e" * 32).exists()


def test_the_flush_command(redis_counters, share_site):
    click_many(redis_counters, share_site, 12)
    out = io.StringIO()
    call_command("flush_share_counts", stdout=out)
    assert "Flushed 12 counts into 12 counters from 1 batches." in out.getvalue()


def test_reports_and_sums_include_counts_not_flushed_yet(
    redis_counters, share_site, admin_client
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for _n in range(3):
        redis_counters.count(bucket(share_site, day=yesterday))
    rollups.roll_up(yesterday, yesterday)
    assert ShareDayTotal.objects.get(day=yesterday, platform="weibo").count == 3
    redis_counters.count(bucket(share_site, platform="x"))
    response = admin_client.get(reverse("sharing_reports:shares"))
    assert response.status_code == 200
    assert ShareCount.objects.get(platform="x").count == 1


def test_a_flush_inside_another_transaction_leaves_the_counts_waiting(
    redis_counters, share_site
):
    """A flush commits for real (a durable transaction) or not at all."""
    redis_counters.count(bucket(share_site))
    with transaction.atomic():
        with pytest.raises(RuntimeError):
            counters.flush()
        assert counters.flush_quietly() is None
    assert not ShareCount.objects.exists()
    assert counters.flush().counts == 1
    assert ShareCount.objects.get().count == 1
