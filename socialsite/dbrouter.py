"""Reads of the insights reports and exports from a streaming read replica
(REPLICA_DATABASE_URL, settings.production), and back to the primary when
the replica cannot be reached or lags behind.

`ReplicaReadMiddleware` marks GET and HEAD requests whose view lives in one
of REPLICA_READ_VIEW_MODULES (the insights screens by default); during such
a request `ReplicaRouter` sends reads to the "replica" alias when the
replica is healthy. Writes always go to the primary. The health check (can
we connect, how many seconds is its replay behind) runs at most every
REPLICA_CHECK_INTERVAL seconds per process.

Between two checks the replica can still go away (stopped, restarted, the
connection cut mid-query): when a marked request fails with a
DatabaseError after reading from the replica, the middleware marks the
replica unhealthy and runs the view once more with every read on the
primary. Such requests only read, so running them twice is safe.
"""

import contextvars
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
_reading = contextvars.ContextVar("socialsite_replica_reads", default=None)

# Seconds the replica's replay is behind the primary: 0 when it streams and
# has replayed everything it received (an idle primary sends nothing, so the
# age of the last replayed transaction alone says nothing). After a restart
# the receiver starts at the beginning of the WAL segment, before what was
# already replayed: "<=", not "=".
LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN 0
        WHEN pg_last_wal_receive_lsn() IS NOT NULL
            AND pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
        ELSE COALESCE(
            EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0
        )
    END
"""


class _Health:
    """The replica's last known state, shared by a process's threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.checked = float("-inf")
        self.healthy = False
        self.reason = "not checked"

    def reset(self):
        with self.lock:
            self.checked = float("-inf")

    def failed(self, reason):
        """The replica failed a request: not used until the next check
        (REPLICA_CHECK_INTERVAL seconds from now) finds it healthy again."""
        with self.lock:
            if self.healthy:
                logger.warning(
                    "Read replica failed a request, reads go to the primary: %s",
                    reason,
                )
            self.checked = time.monotonic()
            self.healthy, self.reason = False, f"failed: {reason}"


health = _Health()


def replica_lag():
    """The replica's replay lag in seconds; raises DatabaseError when it
    cannot be reached."""
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0] or 0)
    except DatabaseError:
        # A broken connection must not be reused by the next check.
        connection.close()
        raise


def configured():
    return REPLICA in settings.DATABASES


def replica_usable():
    """Whether reads may go to the replica now (cached for
    REPLICA_CHECK_INTERVAL seconds)."""
    if not configured():
        return False
    interval = getattr(settings, "REPLICA_CHECK_INTERVAL", 5)
    now = time.monotonic()
    with health.lock:
        if now - health.checked < interval:
            return health.healthy
        health.checked = now
    try:
        lag = replica_lag()
    except DatabaseError as error:
        healthy, reason = False, f"unreachable: {error}".strip()
    else:
        max_lag = getattr(settings, "REPLICA_MAX_LAG", 30)
        healthy = lag <= max_lag
        reason = "" if healthy else f"{lag:.1f} s behind (> {max_lag} s)"
    with health.lock:
        if healthy != health.healthy or reason != health.reason:
            if healthy:
                logger.info("Read replica in use again")
            else:
                logger.warning(
                    "Read replica not used, reads go to the primary: %s", reason
                )
        health.healthy, health.reason = healthy, reason
    return healthy


class ReplicaReads:
    """What one request marked for the replica did: `used` is the alias its
    reads went to last (`replica_used`: whether any went to the replica);
    `forced` sends them all to one alias (the primary, after the replica
    failed the request)."""

    def __init__(self):
        self.used = None
        self.replica_used = False
        self.forced = None


class ReplicaRouter:
    """Reads of requests marked by ReplicaReadMiddleware go to the replica
    when it is usable; everything else to the primary ("default")."""

    def db_for_read(self, model, **hints):
        reads = _reading.get()
        if reads is None:
            return None
        if reads.forced:
            alias = reads.forced
        else:
            alias = REPLICA if replica_usable() else "default"
        reads.used = alias
        if alias == REPLICA:
            reads.replica_used = True
        return alias

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data, a replica of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def read_from_replica():
    """Mark the current context's reads for the replica; returns the token
    for `done` and the ReplicaReads record."""
    reads = ReplicaReads()
    return _reading.set(reads), reads


def done(token):
    _reading.reset(token)


def close_replica():
    """Drop the replica connection of this thread (broken after a failure)
    so that its next use connects afresh."""
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass


class ReplicaReadMiddleware:
    """Sends the reads of GET/HEAD requests to views in
    REPLICA_READ_VIEW_MODULES (default: the insights screens) to the
    replica, and answers them from the primary when the replica fails them
    (process_exception: once, for a DatabaseError after a replica read).
    With REPLICA_DEBUG_HEADER, the response names the alias used
    (X-Read-Database), for the cluster tests."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.modules = tuple(
            getattr(settings, "REPLICA_READ_VIEW_MODULES", ["community.insights."])
        )

    def __call__(self, request):
        request._replica_reads = None
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                done(token)
        reads = request._replica_reads
        if reads is not None and getattr(settings, "REPLICA_DEBUG_HEADER", False):
            response["X-Read-Database"] = reads.used or "none"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD"):
            return None
        view = getattr(view_func, "view_class", view_func)
        module = getattr(view, "__module__", "") or ""
        if module.startswith(self.modules):
            request._replica_token, request._replica_reads = read_from_replica()
            request._replica_view = (view_func, view_args, view_kwargs)
        return None

    def process_exception(self, request, exception):
        """Runs for exceptions of the view and of a template response's
        rendering: the view again, reads on the primary, rendered here."""
        reads = getattr(request, "_replica_reads", None)
        if (
            reads is None
            or not isinstance(exception, DatabaseError)
            or not reads.replica_used
            or reads.forced
            # Django flags the connection an error came from: the primary's
            # own failures are not the replica's.
            or not connections[REPLICA].errors_occurred
        ):
            return None
        health.failed(str(exception).strip() or type(exception).__name__)
        close_replica()
        reads.forced, reads.used = "default", None
        view_func, view_args, view_kwargs = request._replica_view
        response = view_func(request, *view_args, **view_kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()
        return response
