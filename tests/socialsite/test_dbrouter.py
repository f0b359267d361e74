"""socialsite.dbrouter: the insights screens read from the replica while it
is reachable and not lagging, everything else from the primary. (The real
replica is tested by tests/cluster.)"""

import copy
import socket
import time

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError, connections, router
from django.db.utils import load_backend
from django.http import HttpResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from socialsite import dbrouter


@pytest.fixture
def replica(monkeypatch):
    """A configured replica whose lag the test sets (None: unreachable)."""
    state = {"lag": 0.0, "checks": 0}

    def lag():
        state["checks"] += 1
        if state["lag"] is None:
            raise OperationalError("connection refused")
        return state["lag"]

    monkeypatch.setattr(dbrouter, "configured", lambda: True)
    monkeypatch.setattr(dbrouter, "replica_lag", lag)
    dbrouter.health.reset()
    yield state
    dbrouter.health.reset()


def read_alias():
    token, reads = dbrouter.read_from_replica()
    try:
        alias = dbrouter.ReplicaRouter().db_for_read(None)
    finally:
        dbrouter.done(token)
    assert reads.used == alias
    return alias


def test_unmarked_reads_and_all_writes_go_to_the_primary(replica):
    router = dbrouter.ReplicaRouter()
    assert router.db_for_read(None) is None
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "community_insights") is False
    assert router.allow_migrate("default", "community_insights") is True


@override_settings(REPLICA_MAX_LAG=30, REPLICA_CHECK_INTERVAL=0)
def test_marked_reads_follow_the_replicas_health(replica):
    assert read_alias() == "replica"
    replica["lag"] = 31.0
    assert read_alias() == "default"
    replica["lag"] = None
    assert read_alias() == "default"
    replica["lag"] = 2.0
    assert read_alias() == "replica"


@override_settings(REPLICA_CHECK_INTERVAL=3600)
def test_health_is_checked_once_per_interval(replica):
    assert read_alias() == "replica"
    replica["lag"] = None
    assert read_alias() == "replica"  # still the last check's answer
    assert replica["checks"] == 1


def test_no_replica_configured_means_primary(monkeypatch):
    monkeypatch.setattr(dbrouter, "configured", lambda: False)
    dbrouter.health.reset()
    assert read_alias() == "default"


def insights_view(request):
    return HttpResponse(dbrouter.ReplicaRouter().db_for_read(None) or "none")


insights_view.__module__ = "community.insights.views"


def other_view(request):
    return HttpResponse(dbrouter.ReplicaRouter().db_for_read(None) or "none")


@override_settings(REPLICA_DEBUG_HEADER=True, REPLICA_CHECK_INTERVAL=0)
@pytest.mark.parametrize(
    ("method", "view", "expected"),
    [
        ("get", insights_view, "replica"),
        ("head", insights_view, "replica"),
        ("post", insights_view, "none"),
        ("get", other_view, "none"),
    ],
)
def test_middleware_marks_get_requests_to_the_insights_views(
    replica, method, view, expected
):
    request = getattr(RequestFactory(), method)("/admin/insights/")

    def handler(request):
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = dbrouter.ReplicaReadMiddleware(handler)
    response = middleware(request)
    if method != "head":
        assert response.content.decode() == expected
    assert response.get("X-Read-Database") == (None if expected == "none" else expected)
    # Nothing is left marked after the request.
    assert dbrouter.ReplicaRouter().db_for_read(None) is None


# --- A replica that fails mid-request ----------------------------------------
#
# The requests go through Django's handler (the test client) with a real
# "replica" alias: one pointing at a port (or a file) nothing answers on,
# and one to the test database whose connection PostgreSQL terminates
# between two reads of a view.


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def replica_alias(settings, monkeypatch):
    """A "replica" connection (the primary's settings, which the test
    changes before the first use) and the replica middleware in front of
    this module's views; the replica's health is cached as healthy for an
    hour, as just before it stops. (The connection is this thread's own,
    made here: not one of the test database's aliases.)"""
    config = copy.deepcopy(connections.settings["default"])
    config["CONN_HEALTH_CHECKS"] = False
    connections[dbrouter.REPLICA] = load_backend(config["ENGINE"]).DatabaseWrapper(
        config, dbrouter.REPLICA
    )
    monkeypatch.setattr(dbrouter, "configured", lambda: True)
    settings.DATABASE_ROUTERS = ["socialsite.dbrouter.ReplicaRouter"]
    settings.MIDDLEWARE = ["socialsite.dbrouter.ReplicaReadMiddleware"]
    settings.ROOT_URLCONF = __name__
    settings.REPLICA_READ_VIEW_MODULES = [__name__]
    settings.REPLICA_DEBUG_HEADER = True
    settings.REPLICA_CHECK_INTERVAL = 3600
    with dbrouter.health.lock:
        dbrouter.health.checked = time.monotonic()
        dbrouter.health.healthy, dbrouter.health.reason = True, ""
    yield config
    dbrouter.close_replica()
    del connections[dbrouter.REPLICA]
    dbrouter.health.reset()
    dbrouter.health.healthy = False


def unreachable(config):
    """Point the alias where no database answers."""
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["NAME"] = "/nonexistent-socialsite-replica/db.sqlite3"
    else:
        config["HOST"], config["PORT"] = "127.0.0.1", free_port()
        config.setdefault("OPTIONS", {})["connect_timeout"] = 2


# What a view did, per request: the aliases its reads went to. Between the
# first and second read, `between` runs once (a test cuts the replica there).
calls = []
between = []


def count_groups():
    alias = router.db_for_read(Group)
    Group.objects.count()
    return alias


def report(request):
    aliases = [count_groups()]
    while between:
        between.pop()()
    aliases.append(count_groups())
    calls.append(aliases)
    return HttpResponse(" ".join(aliases))


def template_report(request):
    """Reads while its template renders (a lazy query set)."""
    groups = Group.objects.order_by("name")
    calls.append([router.db_for_read(Group)])
    return TemplateResponse(
        request,
        engines["django"].from_string(
            "{% for group in groups %}{{ group.name }}{% endfor %}done"
        ),
        {"groups": groups},
    )


def write(request):
    aliases = [count_groups()]
    calls.append(aliases)
    return HttpResponse(" ".join(aliases))


urlpatterns = [
    path("report/", report),
    path("template-report/", template_report),
    path("write/", write),
]


@pytest.fixture
def views():
    calls.clear()
    between.clear()
    yield calls
    calls.clear()
    between.clear()


def failing_client():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_stopped_replica_is_answered_from_the_primary(replica_alias, views):
    unreachable(replica_alias)
    response = failing_client().get("/report/")
    assert response.status_code == 200
    assert response.content == b"default default"
    assert response["X-Read-Database"] == "default"
    # The first run failed at its first read; the second read the primary.
    assert views == [["default", "default"]]
    assert dbrouter.health.healthy is False
    assert dbrouter.health.reason.startswith("failed: ")
    # Until the next check, requests go to the primary at once.
    views.clear()
    response = failing_client().get("/report/")
    assert response.status_code == 200
    assert views == [["default", "default"]]


@pytest.mark.django_db
def test_a_replica_failing_while_a_template_renders(replica_alias, views):
    unreachable(replica_alias)
    response = failing_client().get("/template-report/")
    assert response.status_code == 200
    assert response.content.endswith(b"done")
    assert response["X-Read-Database"] == "default"
    # The view ran twice: on the replica, then (after the rendering failed)
    # on the primary.
    assert views == [["replica"], ["default"]]


@pytest.mark.django_db
def test_a_connection_cut_mid_request_falls_back(replica_alias, views):
    if replica_alias["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    replica = connections[dbrouter.REPLICA]

    def terminate():
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            assert cursor.fetchone()[0] is True

    between.append(terminate)
    response = failing_client().get("/report/")
    assert response.status_code == 200
    assert response["X-Read-Database"] == "default"
    # The replica answered the first read, lost its connection before the
    # second; the view ran again on the primary.
    assert views == [["default", "default"]]
    assert dbrouter.health.healthy is False
    # The broken connection was dropped: once the replica is healthy again,
    # the next request connects afresh and reads from it.
    with dbrouter.health.lock:
        dbrouter.health.checked = time.monotonic()
        dbrouter.health.healthy = True
    views.clear()
    response = failing_client().get("/report/")
    assert response.status_code == 200
    assert views == [["replica", "replica"]]


@pytest.mark.django_db
def test_no_retry_for_unmarked_requests_or_primary_failures(replica_alias, views):
    unreachable(replica_alias)
    # POST is not marked: its reads go to the primary, nothing retried.
    response = failing_client().post("/write/")
    assert response.status_code == 200
    assert views == [["default"]]
    assert "X-Read-Database" not in response
    # A failure on the primary is the primary's: not retried.
    views.clear()
    with dbrouter.health.lock:
        dbrouter.health.healthy = False

    def primary_fails():
        raise OperationalError("the primary is gone")

    between.append(primary_fails)
    response = failing_client().get("/report/")
    assert response.status_code == 500
    assert views == []


@pytest.mark.django_db
def test_a_primary_failure_after_replica_reads_is_not_the_replicas(
    replica_alias, views
):
    """The replica answered; a later error (not from its connection) is
    the view's own: no retry, and the replica stays in use."""

    def primary_fails():
        raise OperationalError("the primary is gone")

    between.append(primary_fails)
    response = failing_client().get("/report/")
    assert response.status_code == 500
    assert views == []
    assert dbrouter.health.healthy is True


@pytest.mark.django_db
def test_the_primary_failing_the_retry_is_an_error(replica_alias, views):
    unreachable(replica_alias)
    primary = connections["default"]
    fail = [True]

    def primary_fails_too(execute, sql, params, many, context):
        if context["connection"] is primary and fail[0]:
            raise OperationalError("the primary is gone too")
        return execute(sql, params, many, context)

    with primary.execute_wrapper(primary_fails_too):
        response = failing_client().get("/report/")
    assert response.status_code == 500
    assert views == []  # retried once, failed, not again
