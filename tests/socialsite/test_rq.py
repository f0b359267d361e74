"""socialsite.rq: tasks reach the Redis queue when their transaction
commits; Wagtail's frontend-cache purges run in the process that asks for
them, at the commit, without a worker. (The real queue and workers are
tested by tests/cluster.)"""

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django_tasks import task
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

pytest.importorskip("django_tasks_rq")  # the "scale" extra

from socialsite import rq  # noqa: E402 (after the skip)

# The default queue, on the test run's Redis database (REDIS_URL).
QUEUE = "default"
REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"

ran = []


@task()
def remember(value):
    ran.append(value)


@task()
def broken(value):
    raise RuntimeError(value)


@pytest.fixture
def backend(settings):
    """The RQ backend as TASKS' default, its queue on the test run's Redis
    (emptied before and after); `remember` and `broken` run inline."""
    settings.RQ_QUEUES = {QUEUE: {"URL": REDIS}}
    settings.TASKS = {
        "default": {
            "BACKEND": "socialsite.rq.RQBackend",
            "QUEUES": [QUEUE],
            "OPTIONS": {
                "INLINE_TASKS": [
                    *rq.INLINE_TASKS,
                    remember.module_path,
                    broken.module_path,
                ]
            },
        }
    }
    queue = rq.rq_backend.django_rq.get_queue(QUEUE)
    try:
        queue.connection.ping()
    except Exception:  # noqa: BLE001
        pytest.skip(f"no Redis at {REDIS}")
    queue.empty()
    ran.clear()
    yield queue
    queue.empty()
    ran.clear()


@pytest.fixture
def varnish(settings):
    """A fake edge cache on 127.0.0.1 that records the PURGE requests it
    gets, as Wagtail's HTTP backend's LOCATION."""
    purged = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 (the HTTP method)
            purged.append((self.headers["Host"], self.path))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    settings.WAGTAILFRONTENDCACHE_LANGUAGES = []
    yield purged
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_purges_run_at_the_commit_without_a_worker(
    backend, varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            purge_urls_from_cache(
                ["http://www.example.org/en/news/", "http://www.example.org/zh-hans/"]
            )
            assert varnish == []  # not before the commit
    # Sent by this process, before the commit returned; nothing queued.
    assert sorted(varnish) == [
        ("www.example.org", "/en/news/"),
        ("www.example.org", "/zh-hans/"),
    ]
    assert backend.count == 0


@pytest.mark.django_db
def test_inline_tasks_wait_for_the_commit_and_skip_on_rollback(
    backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        remember.enqueue("kept")
        assert ran == []
    assert ran == ["kept"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                remember.enqueue("rolled back")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert ran == ["kept"]
    assert backend.count == 0


@pytest.mark.django_db
def test_a_failing_inline_task_goes_to_the_queue(
    backend, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        broken.enqueue("the CDN is down")
    assert backend.count == 1
    job = backend.jobs[0]
    assert job.func_name == broken.module_path
    assert job.args == ("the CDN is down",)
    assert "failed, queued for a worker" in caplog.text


@pytest.mark.django_db
def test_other_tasks_are_queued_at_the_commit(
    backend, django_capture_on_commit_callbacks
):
    backend_instance = rq.RQBackend(
        "default", {"QUEUES": [QUEUE], "OPTIONS": {"INLINE_TASKS": []}}
    )
    with django_capture_on_commit_callbacks(execute=True):
        backend_instance.enqueue(remember, ["queued"], {})
        assert backend.count == 0  # not before the commit
    assert backend.count == 1
    assert ran == []  # a worker runs it, not this process
