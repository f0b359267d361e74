"""A viral spike on one machine: the production profile under wrk (run by hand).

    apt-get install wrk                     # Debian's wrk, the load generator
    .venv/bin/python bench/spike.py         # drops and creates bench_spike
    .venv/bin/python bench/spike.py --reuse # keeps the last run's database

Starts what production runs on one machine: gunicorn (2 sync workers) on the
production settings (DEBUG off, manifest static files through whitenoise,
HTTPS behind a proxy: every request carries `X-Forwarded-Proto: https`),
PostgreSQL (database `bench_spike`, dropped and created), Redis (a database of
its own, flushed), the task worker and the demo site; `bench/urls.py` adds a
bare Django view to the same server. wrk, on the same machine, then measures
in one run:

1. requests/s of the bare view (before and after the others: the ratios use
   their mean), the anonymous home, article, product and board pages and the
   share endpoint, each as a ratio of the bare view;
2. a signed-in member (session cookie) reading two copies of one demo
   article, one with 300 comments, taken alternately twice: the time ratio is
   the ratio of their requests/s through the whole stack;
3. on a fresh gunicorn, 10,000 mixed requests (the pages above, the share
   endpoint, both signed-in articles), then each worker's peak RSS (VmHWM).

Reports pass or fail for each budget of issue 13 (pages >= 0.5x the bare
view, share endpoint >= 0.7x, signed-in article with 300 comments <= 1.5x the
time of the article without) and prints a Markdown section for
bench/RESULTS.md. Exit status: 0 when every budget passes, 1 when one fails,
2 when the run itself fails.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.share_endpoint import cpu_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"
PROXY = {"X-Forwarded-Proto": "https", "User-Agent": UA}
PAGE_BUDGET = 0.5
SHARE_BUDGET = 0.7
SIGNED_IN_BUDGET = 1.5
PAGES = (
    ("home", "anonymous home"),
    ("article", "anonymous article"),
    ("product", "anonymous product"),
    ("board", "anonymous board"),
)


class RunError(Exception):
    pass


def run(cmd, env, log=None, **kwargs):
    kwargs.setdefault("stdout", log)
    kwargs.setdefault("stderr", subprocess.STDOUT if log else None)
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603


def fresh_database(url):
    """Drop and create the database `url` names."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise RunError(f"unexpected database name {name!r}")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def server_versions(database, cache):
    with psycopg.connect(database) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    redis_version = redis.Redis.from_url(cache).info("server")["redis_version"]
    return f"PostgreSQL {postgres}, Redis {redis_version}"


def prepare(env, args, log):
    """The demo site, static files and what the benchmark reads; returns the
    fixtures (URLs and the signed-in session cookie)."""
    workdir = Path(env["MEDIA_ROOT"]).parent
    if not args.reuse:
        fresh_database(env["DATABASE_URL"])
        shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    python = sys.executable
    steps = [
        ["migrate", "--noinput", "-v0"],
        ["load_demo_data", "--site-url", f"http://127.0.0.1:{args.port}"],
        ["collectstatic", "--noinput", "-v0"],
    ]
    for step in steps:
        print(f"  manage.py {' '.join(step)}", flush=True)
        run([python, "manage.py", *step], env, log)
    print("  bench/spike_fixtures.py", flush=True)
    out = run(
        [python, "bench/spike_fixtures.py"], env, stdout=subprocess.PIPE, stderr=log
    )
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


class Server:
    """gunicorn with the spike's settings, and the task worker."""

    def __init__(self, env, port, workers, log):
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.processes = []

    def __enter__(self):
        self.gunicorn = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "bench.wsgi"]
            + ["--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(self.gunicorn)
        self.processes.append(
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "db_worker"],
                cwd=ROOT,
                env=self.env,
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.get("/bench/bare/")[0] == 200:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline or self.gunicorn.poll() is not None:
                self.__exit__()
                raise RunError("gunicorn did not start (see the log)")
            time.sleep(0.5)

    def __exit__(self, *exc):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def get(self, path, cookie=None):
        """(status, body) of one GET, as the proxy in front would send it."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            headers = {**PROXY, **({"Cookie": cookie} if cookie else {})}
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def worker_pids(self):
        pid = self.gunicorn.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]


def memory_of(pid):
    """(VmHWM, VmRSS) of a process, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmHWM", "VmRSS"}:
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmHWM"], fields["VmRSS"]


WRK_TIME = re.compile(r"([\d.]+)(us|ms|s|m)\b")
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(out):
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    latency = re.search(r"Latency\s+(\S+)", out)
    if not (rps and total and latency):
        raise RunError(f"cannot read wrk's output:\n{out}")
    value, unit = WRK_TIME.match(latency.group(1)).groups()
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(rps.group(1)),
        "requests": int(total.group(1)),
        "latency_ms": float(value) * UNITS[unit],
        "errors": (int(non2xx.group(1)) if non2xx else 0),
        "socket_errors": sockets.group(1) if sockets else "",
    }


def wrk(args, port, path, seconds, cookie=None, script=None):
    cmd = ["wrk", "-t", str(args.threads), "-c", str(args.connections)]
    cmd += ["-d", f"{seconds}s", "--timeout", "30s"]
    for name, value in {**PROXY, **({"Cookie": cookie} if cookie else {})}.items():
        cmd += ["-H", f"{name}: {value}"]
    if script:
        cmd += ["-s", script]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return parse_wrk(out)


def measure(args, server, label, path, cookie=None):
    wrk(args, server.port, path, args.warmup, cookie)
    result = wrk(args, server.port, path, args.duration, cookie)
    if not result["requests"]:
        raise RunError(
            f"{label}: no answer in {args.duration} s; try a longer --duration"
        )
    note = ""
    if result["errors"] or result["socket_errors"]:
        note = f"  ({result['errors']} bad answers; sockets: {result['socket_errors']})"
    print(
        f"  {label:<36} {result['rps']:9.1f} req/s  "
        f"mean latency {result['latency_ms']:8.1f} ms{note}",
        flush=True,
    )
    return result


def check_answers(server, fixtures):
    """Each URL once, with what a visitor must see, before any load."""
    cookie = fixtures["cookie"]
    expected = [("/bench/bare/", None, 200), (fixtures["share"], None, 302)]
    expected += [(fixtures[key], None, 200) for key, _ in PAGES]
    expected += [
        (fixtures["article_no_comments"], cookie, 200),
        (fixtures["article_300_comments"], cookie, 200),
    ]
    for path, sent, status in expected:
        got, body = server.get(path, sent)
        if got != status:
            raise RunError(f"{path}: {got}, expected {status}\n{body[:2000]!r}")
    _, full = server.get(fixtures["article_300_comments"], cookie)
    _, empty = server.get(fixtures["article_no_comments"], cookie)
    _, anonymous = server.get(fixtures["article"])
    if b"/accounts/logout/" not in full or b"/accounts/logout/" in anonymous:
        raise RunError("the session cookie does not sign the member in")
    shown = re.compile(rb"<p>Comment \d+: ")
    if not shown.search(full) or shown.search(empty):
        raise RunError("the article copies do not show 300 and 0 comments")


MIXED_LUA = """
local paths = %s
local cookies = %s
local n = 0
request = function()
  n = n %% #paths + 1
  local headers = { ["X-Forwarded-Proto"] = "https", ["User-Agent"] = "%s" }
  if cookies[n] ~= "" then headers["Cookie"] = cookies[n] end
  return wrk.format("GET", paths[n], headers)
end
"""


def lua_list(items):
    return "{ " + ", ".join(json.dumps(item) for item in items) + " }"


def mixed(args, server, fixtures, workdir):
    """At least args.mixed requests over every measured URL; returns how many."""
    cookie = fixtures["cookie"]
    mix = [(fixtures[key], "") for key, _ in PAGES] + [(fixtures["share"], "")]
    mix += [(fixtures["article_no_comments"], cookie)]
    mix += [(fixtures["article_300_comments"], cookie)]
    script = workdir / "mixed.lua"
    script.write_text(
        MIXED_LUA % (lua_list(p for p, _ in mix), lua_list(c for _, c in mix), UA)
    )
    done, seconds = 0, 10
    while done < args.mixed:
        result = wrk(args, server.port, "/", seconds, script=str(script))
        done += result["requests"]
        print(f"  {done:,} requests ({result['rps']:.1f}/s)", flush=True)
        if result["errors"]:
            raise RunError(f"mixed requests: {result['errors']} bad answers")
        left = args.mixed - done
        seconds = max(2, min(120, round(left / max(result["rps"], 1) * 1.05) + 1))
    return done


def verdict(ok):
    return "pass" if ok else "FAIL"


def benchmark(args, env, log):
    """Everything measured, in one run of the servers."""
    fixtures = prepare(env, args, log)
    found = {"fixtures": fixtures}
    found["versions"] = server_versions(args.database, args.redis)
    print(f"Measuring ({args.duration} s per URL, after {args.warmup} s)")
    with Server(env, args.port, args.workers, log) as server:
        check_answers(server, fixtures)
        found["bare_before"] = measure(args, server, "bare view", "/bench/bare/")
        found["anonymous"] = {
            key: measure(args, server, label, fixtures[key]) for key, label in PAGES
        }
        found["share"] = measure(args, server, "share endpoint", fixtures["share"])
        found["bare_after"] = measure(args, server, "bare view, again", "/bench/bare/")
        signed = {"empty": [], "full": []}
        for _ in range(2):
            for key, label, name in (
                ("empty", "signed in, no comments", "article_no_comments"),
                ("full", "signed in, 300 comments", "article_300_comments"),
            ):
                signed[key].append(
                    measure(args, server, label, fixtures[name], fixtures["cookie"])
                )
        found["signed"] = signed
    print(f"Mixed requests on a fresh gunicorn ({args.mixed:,})", flush=True)
    with Server(env, args.port + 1, args.workers, log) as server:
        check_answers(server, fixtures)
        found["served"] = mixed(args, server, fixtures, Path(args.workdir))
        found["memory"] = [memory_of(pid) for pid in server.worker_pids()]
    return found


def mean(results, key):
    return sum(result[key] for result in results) / len(results)


def report(found, args, started, load_before):
    """The Markdown section for bench/RESULTS.md, and whether every budget
    passed. A budget with bad answers (not 200, or 302 for sharing) fails."""
    bare = mean([found["bare_before"], found["bare_after"]], "rps")
    rows = []
    for label, result, budget in [
        *((label, found["anonymous"][key], PAGE_BUDGET) for key, label in PAGES),
        ("share endpoint (302)", found["share"], SHARE_BUDGET),
    ]:
        ratio = result["rps"] / bare
        ok = ratio >= budget and not result["errors"]
        bad = f" ({result['errors']} bad)" if result["errors"] else ""
        rows.append(
            (
                ok,
                f"| {label} | {result['rps']:.1f}{bad} | {result['latency_ms']:.1f}"
                f" | {ratio:.3f}× | ≥ {budget}× | {verdict(ok)} |",
            )
        )
    empty, full = found["signed"]["empty"], found["signed"]["full"]
    time_ratio = mean(empty, "rps") / mean(full, "rps")
    signed_ok = time_ratio <= SIGNED_IN_BUDGET and not any(
        result["errors"] for result in empty + full
    )
    rows.append(
        (
            signed_ok,
            f"| signed in, same article with {found['fixtures']['comments']} "
            f"comments | {mean(full, 'rps'):.1f} | {mean(full, 'latency_ms'):.1f} | "
            f"{time_ratio:.2f}× the time | ≤ {SIGNED_IN_BUDGET}× | "
            f"{verdict(signed_ok)} |",
        )
    )
    load_after = os.getloadavg()
    command = " ".join(["bench/spike.py", *sys.argv[1:]])
    before, after = found["bare_before"], found["bare_after"]
    lines = [
        f"### {started:%Y-%m-%d %H:%M} UTC: {os.cpu_count()} × {cpu_model()}",
        "",
        f"Command: `.venv/bin/python {command}`. {found['versions']}; gunicorn"
        f" {args.workers} sync workers on the production settings; wrk"
        f" -t{args.threads} -c{args.connections} on the same machine,"
        f" {args.duration} s per URL after {args.warmup} s of warm-up. Load"
        f" average before / after: {load_before[0]:.1f} / {load_after[0]:.1f}.",
        "",
        "| what | requests/s | mean latency ms | ratio | budget | |",
        "|---|---:|---:|---:|---|---|",
        f"| bare view (before / after) | {before['rps']:.1f} / {after['rps']:.1f}"
        f" | {mean([before, after], 'latency_ms'):.1f} | 1× | | |",
        *(row for _, row in rows[:-1]),
        f"| signed in, the article without comments | {mean(empty, 'rps'):.1f} |"
        f" {mean(empty, 'latency_ms'):.1f} | 1× | | |",
        rows[-1][1],
        "",
        "Signed in: two copies of one demo article, one with 300 comments, each"
        " measured twice, alternately, with the member's session cookie; the time"
        " ratio is the ratio of their requests/s.",
        "",
        f"Peak RSS (VmHWM) of each gunicorn worker after {found['served']:,} mixed"
        " requests (the pages, the share endpoint and both signed-in articles in"
        " turn) on a freshly started server: "
        + ", ".join(
            f"{hwm:.0f} MiB (now {rss:.0f} MiB)" for hwm, rss in found["memory"]
        )
        + ".",
    ]
    return lines, all(ok for ok, _ in rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8211, help="8211-8219")
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/bench_spike"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument(
        "--workdir", default=str(Path(tempfile.gettempdir()) / "bench_spike")
    )
    parser.add_argument("--reuse", action="store_true", help="keep the database")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=20, help="seconds per URL")
    parser.add_argument("--warmup", type=int, default=3, help="seconds, not counted")
    parser.add_argument("--mixed", type=int, default=10_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")

    workdir = Path(args.workdir)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SERVE_MEDIA", "MEDIA_URL", "CACHE_KEY_PREFIX"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.spike_settings",
        DATABASE_URL=args.database,
        REDIS_URL=args.redis,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{args.port}",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    load_before = os.getloadavg()
    started = datetime.now(UTC)
    log_path = workdir.parent / f"{workdir.name}.log"
    print(f"Preparing (log: {log_path})", flush=True)
    with open(log_path, "ab") as log:
        try:
            found = benchmark(args, env, log)
        except (RunError, subprocess.CalledProcessError, OSError) as error:
            print(f"bench/spike.py failed: {error} (log: {log_path})", file=sys.stderr)
            sys.exit(2)
    lines, passed = report(found, args, started, load_before)
    print()
    print("\n".join(lines))
    print()
    print("All budgets met." if passed else "Budgets not met: see FAIL above.")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
