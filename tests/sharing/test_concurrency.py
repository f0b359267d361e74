"""Share counts stay exact when many visitors click at once: parallel requests
against a live server on PostgreSQL (SQLite serialises writers anyway)."""

import http.client
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.db import connection

from sharing.models import ShareCount

THREADS = 8
REQUESTS = 25


@pytest.fixture
def postgres_only():
    # Skipped before transactional_db is set up: its flush at the end empties
    # every table, the data other tests of this process share included (CI
    # runs this module in a process of its own).
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is tested on PostgreSQL (CI's PostgreSQL pass)")


def test_parallel_clicks_are_all_counted(
    postgres_only, transactional_db, live_server, shared_page
):
    server = urlsplit(live_server.url)
    paths = [
        f"/en/share/{platform}/page/{shared_page.pk}/"
        for platform in ("weibo", "wechat")
    ]

    def click(index):
        conn = http.client.HTTPConnection(server.hostname, server.port, timeout=30)
        conn.request(
            "GET",
            paths[index % 2],
            # Every click by another visitor: a visitor's repeat clicks count
            # once in a time window.
            headers={
                "Host": "sharing.test",
                "User-Agent": f"Mozilla/5.0 Chrome/126 visitor-{index}",
            },
        )
        status = conn.getresponse().status
        conn.close()
        return status

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(click, range(THREADS * REQUESTS)))
    assert statuses == [302] * (THREADS * REQUESTS)
    counts = dict(ShareCount.objects.values_list("platform", "count"))
    assert counts == {
        "weibo": THREADS * REQUESTS // 2,
        "wechat": THREADS * REQUESTS // 2,
    }
    assert ShareCount.total_for("page", shared_page.pk) == THREADS * REQUESTS
