"""The demo site served by a real server process on loopback and Debian's
chromium driven by Playwright: one of each per test process, shared by the
end-to-end and security tests (registered as a plugin in tests/conftest.py;
a second sync_playwright() in one process would fail)."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

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
    # (tests/dbtemplates.py); loading it again only sets the site's address.
    template = dbtemplates.live_demo(env)
    dbtemplates.copy_database(template.database, workdir / "site.sqlite3")
    shutil.copytree(template.media, workdir / "media")
    subprocess.run(  # noqa: S603
        [*manage, "load_demo_data", "--site-url", base_url],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
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
    server.terminate()
    server.wait(timeout=10)


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


def make_member(live_site):
    """A new member of the live site (username, email, password, pk): no
    history, so their posts wait for moderation."""
    suffix = uuid.uuid4().hex[:8]
    member = {
        "username": f"member-{suffix}",
        "email": f"member-{suffix}@example.com",
        "password": f"Probe-{suffix}-tea",
    }
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            MAKE_MEMBER.format(**member),
        ],
        cwd=ROOT,
        env=LIVE_SITE_ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    member["pk"] = int(out.stdout.strip().splitlines()[-1])
    return member
