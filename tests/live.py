"""The demo site served by a real server process on loopback and Debian's
chromium driven by Playwright: one of each per test process, shared by the
end-to-end and security tests (registered as a plugin in tests/conftest.py;
a second sync_playwright() in one process would fail)."""

import asyncio
import json
import os
import select
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from tests import dbtemplates

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


# The live site's environment (database, mail folder), for tests that prepare
# data with manage.py or read the e-mails it sent.
LIVE_SITE_ENV = {}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def set_site_address(database, host, port):
    """What `load_demo_data --site-url http://host:port` changes on a loaded
    demo (its `set_site_url`: the default Wagtail Site and Django's Site),
    written straight into the SQLite file before the server starts: the same
    rows, without starting Django and walking the demo again."""
    with sqlite3.connect(database) as db:
        db.execute(
            "UPDATE wagtailcore_site SET hostname = ?, port = ? WHERE is_default_site",
            (host, port),
        )
        db.execute(
            "INSERT INTO django_site (id, domain, name) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET domain = excluded.domain, "
            "name = excluded.name",
            (settings.SITE_ID, f"{host}:{port}", "Cloudmist Tea"),
        )
    db.close()


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """Base URL of the demo site, migrated and loaded in a database of its own."""
    workdir = tmp_path_factory.mktemp("e2e-site")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="socialsite.settings.dev",
        DEBUG="false",
        SERVE_MEDIA="true",
        DATABASE_URL=f"sqlite:///{workdir / 'site.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(workdir / "mail"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    LIVE_SITE_ENV.update(env)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    # The demo, migrated and loaded once for every test process
    # (tests/dbtemplates.py); each copy gets its own address.
    template = dbtemplates.live_demo(env)
    dbtemplates.copy_database(template.database, workdir / "site.sqlite3")
    shutil.copytree(template.media, workdir / "media")
    set_site_address(workdir / "site.sqlite3", "127.0.0.1", port)
    server = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "server.log", "w"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base_url + "/en/", timeout=5)  # noqa: S310
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(
                    "The demo server did not start:\n"
                    + (workdir / "server.log").read_text()
                ) from None
            time.sleep(0.3)
    yield base_url
    stop_live_shell()
    server.terminate()
    server.wait(timeout=10)


@contextmanager
def _without_browser_loop(item):
    """Playwright's sync API leaves its event loop set as the thread's running
    loop, and Django refuses database queries where a loop runs
    (SynchronousOnlyOperation): each phase of a test without the browser
    (its fixtures' set-up and teardown, session-wide ones included, and its
    call) runs without it, so browser tests and database tests can share a
    process in any order."""
    loop = asyncio._get_running_loop()
    if loop is None or "browser" in item.fixturenames:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with _without_browser_loop(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with _without_browser_loop(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with _without_browser_loop(item):
        return (yield)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("SOCIALSITE_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


#: A member with a confirmed e-mail address, made in the live site's database.
MAKE_MEMBER = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user(
    "{username}", "{email}", "{password}"
)
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
print(user.pk)
"""


# One Python process per test process, set up with the live site's settings
# and database, that runs the code it is sent (Django starts once: a
# `manage.py shell -c` per call paid three seconds each time).
SHELL_DRIVER = r"""
import contextlib, io, json, sys, traceback
import django
django.setup()
from django.core.cache import caches
from django.db import connections
for line in sys.stdin:
    out, ok = io.StringIO(), True
    try:
        for cache in caches.all():  # as fresh as a new process's
            if "locmem" in type(cache).__module__:
                cache.clear()
        with contextlib.redirect_stdout(out):
            exec(compile(json.loads(line), "<live_shell>", "exec"), {})
    except BaseException:
        ok = False
        out.write(traceback.format_exc())
    finally:
        connections.close_all()
    sys.__stdout__.write(json.dumps({"ok": ok, "out": out.getvalue()}) + "\n")
    sys.__stdout__.flush()
"""
_shell = {}
SHELL_TIMEOUT = 120


def live_shell(code):
    """Runs `code` against the live site's database (as `manage.py shell -c`
    would, without its automatic imports) and returns what it printed."""
    process = _shell.get("process")
    if process is None or process.poll() is not None:
        process = _shell["process"] = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", SHELL_DRIVER],
            cwd=ROOT,
            env=LIVE_SITE_ENV,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    process.stdin.write(json.dumps(code) + "\n")
    process.stdin.flush()
    # One answer line per call, so nothing waits in the pipe's buffer.
    ready, _, _ = select.select([process.stdout], [], [], SHELL_TIMEOUT)
    if not ready:
        process.kill()
        raise RuntimeError(f"The live shell did not answer in {SHELL_TIMEOUT} s")
    line = process.stdout.readline()
    if not line:
        raise RuntimeError(f"The live shell ended (exit code {process.wait()})")
    answer = json.loads(line)
    if not answer["ok"]:
        raise RuntimeError(f"Live shell code failed:\n{answer['out']}")
    return answer["out"]


def stop_live_shell():
    process = _shell.pop("process", None)
    if process is not None:
        process.stdin.close()
        process.wait(timeout=10)


def make_member(live_site):
    """A new member of the live site (username, email, password, pk): no
    history, so their posts wait for moderation."""
    suffix = uuid.uuid4().hex[:8]
    member = {
        "username": f"member-{suffix}",
        "email": f"member-{suffix}@example.com",
        "password": f"Probe-{suffix}-tea",
    }
    out = live_shell(MAKE_MEMBER.format(**member))
    member["pk"] = int(out.strip().splitlines()[-1])
    return member
