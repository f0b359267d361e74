"""socialsite.dbrouter: the insights screens read from the replica while it
is reachable and not lagging, everything else from the primary. (The real
replica is tested by tests/cluster.)"""

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

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
