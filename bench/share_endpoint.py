"""Throughput of the share endpoint against a bare Django view, both served by
gunicorn on loopback. Run by hand (not a test):

    .venv/bin/python bench/share_endpoint.py [--requests 3000] [--threads 8]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_share \
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/share_endpoint.py

Uses DATABASE_URL when set (e.g. PostgreSQL), else a fresh SQLite file, with
persistent connections (DATABASE_CONN_MAX_AGE=60, as in production). Every
share request comes from another visitor (its own X-Forwarded-For), so every
one is counted and none is a repeat. Without REDIS_URL each click is the
snapshot from local memory, one upsert of the daily counter and a 302. With
REDIS_URL the counts go to Redis (`sharing.counters.redis`) and a task worker
(`db_worker`, the database task backend, as in production) flushes them; at
the end `flush_share_counts` runs and the script checks that the database
holds exactly one count per request. Prints a Markdown row for
bench/RESULTS.md.
"""

import argparse
import http.client
import itertools
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


SETUP = """
import django
django.setup()
from wagtail.models import Page, Site
from socialsite.website.models import StandardPage
site = Site.objects.get(is_default_site=True)
page = site.root_page.get_children().filter(slug="bench").first()
if page is None:
    page = StandardPage(title="Benchmark page", slug="bench")
    site.root_page.add_child(instance=page)
    page.save_revision().publish()
print(page.pk)
"""


def prepare(env):
    python = sys.executable
    subprocess.run(  # noqa: S603
        [python, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    out = subprocess.run(  # noqa: S603
        [python, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return int(out.stdout.decode().strip().splitlines()[-1])


#: Every share request is another visitor's (their repeats count once), new
#: in each run (a visitor counts once in 30 minutes).
VISITORS = itertools.count(1)
RUN = f"{os.getpid()}-{int(time.time())}"


def hit(port, path, expected, visitor=False):
    headers = {"User-Agent": UA, "Host": "localhost"}
    if visitor:
        n = next(VISITORS)
        headers["X-Forwarded-For"] = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
        headers["User-Agent"] = f"{UA} run-{RUN}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != expected:
        raise RuntimeError(f"{path}: {response.status}, expected {expected}")


def measure(port, path, expected, requests, threads, visitors=False):
    def one(_):
        hit(port, path, expected, visitors)

    with ThreadPoolExecutor(threads) as pool:  # warm-up
        list(pool.map(one, range(threads * 5)))
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(requests)))
    return requests / (time.perf_counter() - start)


TOTAL = """
import django
django.setup()
from sharing.models import ShareCount
print(ShareCount.total_for("page", {page_id}))
"""


def shares(env, page_id):
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", TOTAL.format(page_id=page_id)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return int(out.stdout.decode().strip().splitlines()[-1])


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def manage(env, *args):
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="sharing-bench-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    env["MEDIA_ROOT"] = str(workdir / "media")
    # Persistent database connections, as in production.
    env.setdefault("DATABASE_CONN_MAX_AGE", "60")
    database = env["DATABASE_URL"].split(":", 1)[0]
    redis = bool(env.get("REDIS_URL"))
    if redis:
        # Counts in Redis, flushed by a worker, as in production; keys of
        # this run's own; today's visitors of earlier runs are new ones.
        env["BENCH_TASKS"] = "database"
        env["CACHE_KEY_PREFIX"] = f"bench-share-{os.getpid()}"
        database += " + Redis counters"
    page_id = prepare(env)
    before = shares(env, page_id)

    port = free_port()
    worker = None
    if redis:
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "db_worker", "--no-reload", "-v0"],
            cwd=ROOT,
            env=env,
        )
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                hit(port, "/bench/bare/", 200)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        bare = measure(port, "/bench/bare/", 200, args.requests, args.threads)
        share = measure(
            port,
            f"/en/share/x/page/{page_id}/",
            302,
            args.requests,
            args.threads,
            visitors=True,
        )
    finally:
        for process in (server, worker):
            if process is not None:
                stop(process)
    if redis:
        manage(env, "flush_share_counts")
    counted = shares(env, page_id) - before
    clicks = next(VISITORS) - 1
    print(f"share requests: {clicks}, counted: {counted}")
    if counted != clicks:
        raise SystemExit(f"Counts are not exact: {counted} counted, {clicks} clicks")

    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{os.cpu_count()} × {cpu_model()}"
    print(f"bare view:      {bare:8.0f} requests/s")
    print(f"share endpoint: {share:8.0f} requests/s")
    print(f"ratio:          {share / bare:8.2f}")
    print()
    print(
        f"| {date} | {machine} | {database} | gunicorn {args.workers} sync workers, "
        f"{args.threads} client threads, {args.requests} requests | {bare:.0f} "
        f"| {share:.0f} | {share / bare:.2f} |"
    )


if __name__ == "__main__":
    main()
