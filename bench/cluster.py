"""Scaling numbers of the several-machines profile (run by hand, on a
cluster `make cluster` started):

    make cluster
    .venv/bin/python bench/cluster.py            # prints a Markdown table
    make cluster-stop

wrk (Debian's, on the same machine) measures requests per second of the
same anonymous pages three ways: through Varnish (the edge cache: hits),
through HAProxy (no edge cache: the app servers answer, from their Redis page
cache) and through HAProxy with a session cookie (the app servers render
every page: what signed-in visitors cost), each also as a multiple of the
app servers' smallest Django view (robots.txt through HAProxy) in the same
run. Each URL is fetched once first and must answer 200.

Then (--publishes, default 5) it publishes an article again and again with a
new title, in the cluster's own Django (`manage.py shell` with its
environment, CLUSTER_STATE), and measures how long after the publish returned
Varnish first served the new title: the purge's delay.
"""

import argparse
import datetime
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PATHS = ["/en/", "/en/news/", "/en/stories/"]


def cpu():
    try:
        with open("/proc/cpuinfo") as handle:
            model = re.search(r"model name\s*:\s*(.+)", handle.read()).group(1)
    except (OSError, AttributeError):
        model = platform.processor() or "?"
    return f"{os.cpu_count()} × {model.strip()}"


def wrk(url, duration, connections, threads, cookie=None):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    command += ["--timeout", "30s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(  # noqa: S603 (wrk, our own arguments)
        command + [url], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    bad = int(errors.group(1)) if errors else 0
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket:
        bad += sum(int(n) for n in socket.groups())
    return rate, bad, p99.group(1) if p99 else "?"


PUBLISH = """
from wagtail.models import Page
from socialsite.website.models import ArticlePage
page = ArticlePage.objects.live().filter(locale__language_code="en").first()
page.title = {title!r}
page.save_revision().publish()
print("@@" + page.url)
"""


def cluster_env(state):
    env = dict(os.environ)
    for line in (Path(state) / "env").read_text().splitlines():
        if line.startswith("export "):
            name, _, value = line[len("export ") :].partition("=")
            env[name] = value
    return env


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
            return response.read().decode()
    except OSError:
        return ""


def purge_delays(base, state, count):
    """Seconds from a publish's return to the first response through Varnish
    with the new title, and how many requests that took."""
    root = Path(__file__).resolve().parents[1]
    env = cluster_env(state)
    delays = []
    for _ in range(count):
        title = f"Spring harvest {secrets.token_hex(4)}"
        out = subprocess.run(  # noqa: S603 (our own manage.py)
            [sys.executable, "manage.py", "shell", "-c", PUBLISH.format(title=title)],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        url = base + out.rsplit("@@", 1)[1].strip()
        returned = time.monotonic()
        requests = 0
        while True:
            requests += 1
            if title in fetch(url):
                break
            if time.monotonic() - returned > 60:
                sys.exit(f"{url} still old 60 s after the publish")
            time.sleep(0.02)
        delays.append((time.monotonic() - returned, requests))
    return delays


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("CLUSTER_PORT", 8400))
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--publishes", type=int, default=5)
    parser.add_argument(
        "--state",
        default=os.environ.get(
            "CLUSTER_STATE", os.path.join(tempfile.gettempdir(), "socialsite-cluster")
        ),
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    routes = {
        "Varnish (edge cache)": (f"http://127.0.0.1:{args.port}", None),
        "HAProxy → 2 app servers (Redis page cache)": (
            f"http://127.0.0.1:{args.port + 1}",
            None,
        ),
        "HAProxy → 2 app servers, rendered (session cookie)": (
            f"http://127.0.0.1:{args.port + 1}",
            "sessionid=bench-not-a-session",
        ),
    }
    for base, cookie in routes.values():
        for path in PATHS:
            request = urllib.request.Request(base + path)  # noqa: S310 (http)
            if cookie:
                request.add_header("Cookie", cookie)
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                assert response.status == 200, (base + path, response.status)
    # The yardstick, in the same run: the app servers' smallest Django view
    # (robots.txt: the middleware stack and a few lines of text) through
    # HAProxy; each row is also given as a multiple of it.
    baseline_url = f"http://127.0.0.1:{args.port + 1}/robots.txt"
    with urllib.request.urlopen(baseline_url, timeout=60) as response:  # noqa: S310
        assert response.status == 200, (baseline_url, response.status)
    started = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0]
    print(
        f"Run {started}, {cpu()}, load average {load:.1f} before the run; "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s per row, "
        "on the same machine.\n"
    )
    print(
        "| route | page | requests/s | × the minimal view | p99 latency "
        "| errors (non-2xx, socket) |"
    )
    print("|---|---|---|---|---|---|")
    baseline, errors, p99 = wrk(
        baseline_url, args.duration, args.connections, args.threads
    )
    print(
        "| HAProxy → 2 app servers, a minimal Django view (the yardstick) "
        f"| `/robots.txt` | {baseline:,.0f} | 1.00 | {p99} | {errors} |",
        flush=True,
    )
    for name, (base, cookie) in routes.items():
        for path in PATHS:
            rate, errors, p99 = wrk(
                base + path, args.duration, args.connections, args.threads, cookie
            )
            print(
                f"| {name} | `{path}` | {rate:,.0f} | {rate / baseline:.2f} "
                f"| {p99} | {errors} |",
                flush=True,
            )
    if args.publishes:
        delays = purge_delays(
            f"http://127.0.0.1:{args.port}", args.state, args.publishes
        )
        print(
            f"\nPurge: {len(delays)} publishes; the new title through Varnish "
            "after the publish returned: "
            + ", ".join(f"{delay * 1000:.0f} ms ({n} req.)" for delay, n in delays)
        )


if __name__ == "__main__":
    main()
