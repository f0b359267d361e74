"""A storm of maximal pictures on the production profile (security issue 20,
item 1). Run by hand (not a test):

    .venv/bin/python bench/pictures.py [--posts 4] [--pictures 9] [--workers 4]

Serves the demo site with gunicorn (4 sync workers, DEBUG off, the bench
settings) on PostgreSQL (DATABASE_URL, default the database `bench_pictures`
on 127.0.0.1, created when missing) and Redis (REDIS_URL, default
redis://127.0.0.1:6379/0, keys under a prefix of this run), with the database
task worker (`manage.py db_worker`) doing the background work, as in
production. Then `--posts` verified members each submit, all at once, a photo
post of `--pictures` 6000 × 6000 PNGs of ~120 KB (within the posts' limits:
36 of COMMUNITY_POSTS_IMAGE_MAX_PIXELS' 40 million pixels), and the script
waits until the task worker has rendered every picture.

Meanwhile it measures:

- the home page's latency: an anonymous visitor loads /en/ every 100 ms
  (or at once when the last load took longer); budget: every answer under
  1 s, no error;
- the peak resident memory (VmHWM in /proc/<pid>/status) of every gunicorn
  worker and of the task worker, sampled every 50 ms (budget: under 300 MB).

Prints a table and a Markdown section for bench/RESULTS.md; exits with 1 when
a budget is missed or a post or picture went wrong. Uses ports 8101-8109
(--port, default 8101).
"""

import argparse
import http.client
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="pictures-bench-"))
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_pictures"
)
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
# The demo's images stay with the database from one run to the next.
os.environ.setdefault(
    "MEDIA_ROOT",
    str(
        Path(tempfile.gettempdir())
        / f"{urlsplit(os.environ['DATABASE_URL']).path.strip('/')}-media"
    ),
)
os.environ.update(
    DJANGO_SETTINGS_MODULE="bench.pictures_settings",
    CACHE_KEY_PREFIX=f"bench-pictures-{os.getpid()}",  # fresh rate limits
    DATABASE_CONN_MAX_AGE="60",
    LOG_LEVEL="WARNING",
)

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from bench.share_endpoint import cpu_model  # noqa: E402
from community.posts.models import CommunityBoardPage, Post, PostImage  # noqa: E402

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"
HOME = "/en/"
LATENCY_BUDGET_MS = 1000
MEMORY_BUDGET_MB = 300
SAMPLE_EVERY = 0.1  # seconds between two home page requests
MEMORY_EVERY = 0.05  # seconds between two memory samples
SIDE = 6000


def maximal_png(index):
    """A 6000 × 6000 RGB PNG of ~120 KB: a flat colour (deflate's best
    ratio) with a small disc, a different colour per picture."""
    image = Image.new("RGB", (SIDE, SIDE), (200 - index * 7, 180, 120 + index * 5))
    ImageDraw.Draw(image).ellipse((2800, 2800, 3200, 3200), fill=(40, 90, 60))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=9)
    return out.getvalue()


def ensure_database(url):
    """Create the PostgreSQL database of `url` when it does not exist."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(base_url, posts):
    """Migrate, load the demo site, make `posts` verified members with a
    session each; (board path, [(member id, session key)])."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo_data", site_url=base_url, stdout=open(os.devnull, "w"))  # noqa: SIM115
    board = (
        CommunityBoardPage.objects.live()
        .filter(locale__language_code="en", allow_photos=True)
        .order_by("path")
        .first()
    )
    if board is None:
        sys.exit("The demo site has no English board that takes photos.")
    path = urlsplit(board.get_url()).path + board.reverse_subpage("post_new")
    run = uuid.uuid4().hex[:8]
    members = []
    for n in range(posts):
        user = get_user_model().objects.create_user(
            username=f"bench-{run}-{n}",
            email=f"bench-{run}-{n}@example.com",
            password=uuid.uuid4().hex,
        )
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
        client = Client()
        client.force_login(user)
        members.append((user.pk, client.cookies[settings.SESSION_COOKIE_NAME].value))
    connections.close_all()
    return path, members


def request(port, method, path, body=None, headers=None, timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(
            method,
            path,
            body=body,
            headers={"User-Agent": UA, "Host": "127.0.0.1", **(headers or {})},
        )
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def wait_until_up(port, processes, deadline=90):
    stop = time.monotonic() + deadline
    while True:
        try:
            if request(port, "GET", HOME, timeout=10)[0] == 200:
                return
        except OSError:
            pass
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args} exited with {process.returncode}")
        if time.monotonic() > stop:
            raise RuntimeError("The site did not answer in time.")
        time.sleep(0.3)


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, filename, data in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def form_token(port, path, session):
    """(csrftoken cookie, form token) of the new-post form as `session`."""
    status, headers, body = request(
        port,
        "GET",
        path,
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
    )
    if status != 200:
        raise RuntimeError(f"GET {path} as a member: {status}")
    cookie = next(
        value.split(";", 1)[0].split("=", 1)[1]
        for name, value in headers
        if name.lower() == "set-cookie"
        and value.startswith(settings.CSRF_COOKIE_NAME + "=")
    )
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    return cookie, token.group(1).decode()


def submit(port, path, session, csrf, pictures, index):
    cookie, token = csrf
    body, content_type = multipart(
        {
            "csrfmiddlewaretoken": token,
            "kind": "photo",
            "title": f"Tea terraces at dawn {index}",
            "body": "Nine pictures of the terraces.",
        },
        [("images", f"terrace-{n}.png", data) for n, data in enumerate(pictures)],
    )
    started = time.perf_counter()
    status, headers, _body = request(
        port,
        "POST",
        path,
        body=body,
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
            f"{settings.CSRF_COOKIE_NAME}={cookie}",
            "Content-Type": content_type,
        },
    )
    location = {name.lower(): value for name, value in headers}.get("location", "")
    return status, (time.perf_counter() - started) * 1000, location


class LatencySampler(threading.Thread):
    """One anonymous visitor loading the home page every SAMPLE_EVERY
    seconds: the next request starts on the next tick, or at once when the
    last one took longer. A stuck site shows as long samples; the sampler
    never adds more than one request at a time to the server's load."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.samples = []  # (ms or None on error, status)
        self.stopping = threading.Event()

    def one(self):
        started = time.perf_counter()
        try:
            status = request(self.port, "GET", HOME, timeout=30)[0]
        except OSError as error:
            self.samples.append((None, type(error).__name__))
            return
        self.samples.append(((time.perf_counter() - started) * 1000, status))

    def run(self):
        tick = time.monotonic()
        while not self.stopping.is_set():
            self.one()
            tick = max(tick + SAMPLE_EVERY, time.monotonic())
            self.stopping.wait(max(0, tick - time.monotonic()))

    def stop(self):
        self.stopping.set()
        self.join()


def status_kb(pid, field):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def children(pid):
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


class MemorySampler(threading.Thread):
    """Peak resident memory of the gunicorn workers (children of the master,
    replaced ones included) and of the task worker (and any child it
    starts), read from /proc every MEMORY_EVERY seconds."""

    def __init__(self, gunicorn, task_worker):
        super().__init__(daemon=True)
        self.gunicorn, self.task_worker = gunicorn, task_worker
        self.seen = {}  # pid -> {"role", "start", "peak"} in kB
        self.stopping = threading.Event()

    def processes(self):
        found = [(pid, "gunicorn worker") for pid in children(self.gunicorn)]
        found.append((self.task_worker, "task worker"))
        found += [(pid, "task worker child") for pid in children(self.task_worker)]
        return found

    def sample(self):
        for pid, role in self.processes():
            rss, hwm = status_kb(pid, "VmRSS"), status_kb(pid, "VmHWM")
            if rss is None:
                continue
            entry = self.seen.setdefault(pid, {"role": role, "start": rss, "peak": 0})
            entry["peak"] = max(entry["peak"], rss, hwm or 0)

    def run(self):
        while not self.stopping.is_set():
            self.sample()
            self.stopping.wait(MEMORY_EVERY)

    def stop(self):
        self.stopping.set()
        self.join()
        self.sample()


def pending_posts(member_ids):
    """(posts of the members, those still processing, pictures rendered)."""
    posts = Post.objects.filter(author_id__in=member_ids)
    result = (
        posts.count(),
        posts.filter(processing_pictures=True).count(),
        PostImage.all_objects.filter(post__in=posts).exclude(image="").count(),
    )
    connections.close_all()
    return result


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def latency_row(label, samples):
    times = [ms for ms, _status in samples if ms is not None]
    errors = [s for ms, s in samples if ms is None or s != 200]
    if not times:
        return (label, len(samples), None, None, None, len(errors))
    return (
        label,
        len(samples),
        statistics.median(times),
        percentile(times, 0.95),
        max(times),
        len(errors),
    )


def main():  # noqa: C901 (one scenario, step by step)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=4)
    parser.add_argument("--pictures", type=int, default=9)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--timeout", type=int, default=600, help="seconds to wait")
    args = parser.parse_args()
    if not 8101 <= args.port <= 8109:
        sys.exit("Use a port from 8101 to 8109.")

    workdir = WORKDIR
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("The production profile runs on PostgreSQL: set DATABASE_URL.")
    ensure_database(os.environ["DATABASE_URL"])
    base_url = f"http://127.0.0.1:{args.port}"
    print(f"Preparing the demo site and {args.posts} members...", flush=True)
    board_path, members = prepare(base_url, args.posts)
    print(f"Making {args.pictures} pictures of {SIDE} × {SIDE}...", flush=True)
    pictures = [maximal_png(n) for n in range(args.pictures)]
    sizes_kb = [len(data) / 1024 for data in pictures]

    env = dict(os.environ)
    log = open(workdir / "server.log", "w")  # noqa: SIM115
    gunicorn = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "30",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    task_worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--interval", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    failures = []
    try:
        wait_until_up(args.port, [gunicorn, task_worker])
        # Every worker has served a few pages before the storm (warm).
        with ThreadPoolExecutor(args.workers * 2) as pool:
            list(
                pool.map(
                    lambda _: request(args.port, "GET", HOME), range(args.workers * 6)
                )
            )
        tokens = [form_token(args.port, board_path, s) for _pk, s in members]

        memory = MemorySampler(gunicorn.pid, task_worker.pid)
        memory.start()
        print("Home page before the storm (5 s)...", flush=True)
        before = LatencySampler(args.port)
        before.start()
        time.sleep(5)
        before.stop()

        print(
            f"Storm: {args.posts} posts × {args.pictures} pictures at once...",
            flush=True,
        )
        during = LatencySampler(args.port)
        during.start()
        started = time.monotonic()
        with ThreadPoolExecutor(args.posts) as pool:
            submissions = list(
                pool.map(
                    lambda n: submit(
                        args.port, board_path, members[n][1], tokens[n], pictures, n
                    ),
                    range(args.posts),
                )
            )
        accepted = time.monotonic() - started
        member_ids = [pk for pk, _session in members]
        while True:
            count, processing, rendered = pending_posts(member_ids)
            if count == args.posts and not processing:
                break
            if task_worker.poll() is not None:
                failures.append(f"the task worker exited ({task_worker.returncode})")
                break
            if time.monotonic() - started > args.timeout:
                failures.append(f"pictures not ready after {args.timeout} s")
                break
            time.sleep(0.5)
        finished = time.monotonic() - started
        time.sleep(1)
        during.stop()
        memory.stop()
        count, processing, rendered = pending_posts(member_ids)
    finally:
        for process in (gunicorn, task_worker):
            process.terminate()
        for process in (gunicorn, task_worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()

    for n, (status, ms, location) in enumerate(submissions):
        if status != 302 or "login" in location:
            failures.append(f"post {n}: {status} {location} after {ms:.0f} ms")
    if count != args.posts:
        failures.append(f"{count} posts stored of {args.posts}")
    if rendered != args.posts * args.pictures:
        failures.append(f"{rendered} pictures rendered of {args.posts * args.pictures}")

    latency = [latency_row("before the storm", before.samples)]
    latency.append(latency_row("during the storm", during.samples))
    storm = latency[1]
    if storm[5]:
        failures.append(f"{storm[5]} home page requests failed during the storm")
    if storm[4] is None or storm[4] >= LATENCY_BUDGET_MS:
        failures.append(f"home page took up to {storm[4]} ms")
    rows = []
    for pid, entry in sorted(memory.seen.items(), key=lambda item: item[1]["role"]):
        peak_mb = entry["peak"] / 1024
        rows.append((entry["role"], pid, entry["start"] / 1024, peak_mb))
        if peak_mb >= MEMORY_BUDGET_MB:
            failures.append(f"{entry['role']} {pid} peaked at {peak_mb:.0f} MB")
    workers_seen = sum(1 for row in rows if row[0] == "gunicorn worker")
    if workers_seen != args.workers:
        failures.append(
            f"{workers_seen} gunicorn workers seen of {args.workers} (one restarted?)"
        )

    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{os.cpu_count()} × {cpu_model()}"
    print()
    print(f"{date}, {machine}, load average {os.getloadavg()[0]:.1f}")
    print(
        f"{args.posts} posts × {args.pictures} PNGs of {SIDE} × {SIDE} "
        f"({min(sizes_kb):.0f}–{max(sizes_kb):.0f} KB each); "
        f"posts answered in {', '.join(f'{ms:.0f}' for _s, ms, _l in submissions)} ms "
        f"({', '.join(str(s) for s, _ms, _l in submissions)}); all accepted after "
        f"{accepted:.1f} s, every picture rendered after {finished:.1f} s "
        f"({rendered} of {args.posts * args.pictures})"
    )
    print()
    print(f"| home page {HOME} | samples | p50 ms | p95 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, samples, p50, p95, worst, errors in latency:
        cells = [f"{v:.0f}" if v is not None else "-" for v in (p50, p95, worst)]
        print(f"| {label} | {samples} | {' | '.join(cells)} | {errors} |")
    print()
    print("| process | pid | RSS at start MB | peak RSS MB | budget |")
    print("|---|---:|---:|---:|---|")
    for role, pid, start_mb, peak_mb in rows:
        verdict = "met" if peak_mb < MEMORY_BUDGET_MB else "**missed**"
        print(
            f"| {role} | {pid} | {start_mb:.0f} | {peak_mb:.0f} | "
            f"< {MEMORY_BUDGET_MB} MB: {verdict} |"
        )
    print()
    if failures:
        print("FAILED:")
        for failure in failures:
            print(f"- {failure}")
        print(f"(server and task worker log: {workdir / 'server.log'})")
        sys.exit(1)
    print(
        f"Budgets met: home page under {LATENCY_BUDGET_MS} ms, "
        f"every process under {MEMORY_BUDGET_MB} MB."
    )


if __name__ == "__main__":
    main()
