"""What the page benchmarks share: Django set up on the test settings, with a
throw-away SQLite database unless DATABASE_URL names one, and the timing of
full GETs through Django's test client."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def setup_django():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialsite.settings.test")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import django

    django.setup()


def timed(call, runs=RUNS):
    """(p50 ms, max ms) of `runs` calls of `call`, after one warm-up call."""
    call()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), max(timings)


def measure(client, url, runs=RUNS):
    """(p50 ms, max ms, queries) of `runs` GETs of `url` after a warm-up
    (renditions, template caches); the queries are those of one GET."""
    from django.db import connection

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    get()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        get()
    median, worst = timed(get, runs)
    return median, worst, len(queries)
