"""Migrated and demo-loaded SQLite databases built once per code version and
reused by every test process (a pytest plugin, registered in
tests/conftest.py).

Migrating every app and loading the demo site are the slowest steps of a
run, and each xdist worker and each live demo server did both on its own.
Here the first process that needs one builds it into a file under the
system's temporary folder (keyed by a hash of the code, the settings and
the installed packages, so any change builds anew), under a file lock the
others wait on; the others copy it with SQLite's backup API:

- the test database (SQLite in memory) is restored from the migrated
  template instead of running the migrations;
- `demo_site_data` restores the demo template (and copies its media files)
  instead of running `load_demo_data`;
- the live demo server (tests/live.py) starts from a copy of the demo built
  with its own settings, given its own address (the two rows
  `load_demo_data --site-url` would write).

PostgreSQL runs (DATABASE_URL) keep pytest-django's own set-up.
"""

import fcntl
import functools
import hashlib
import importlib.metadata
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What a template depends on: the apps' and the project's code (models,
# migrations, the demo loader and what it calls) and the test app.
SOURCES = ("community", "sharing", "socialsite", "tests/testapp")
SUFFIXES = {".py", ".json", ".txt", ".jpg", ".png", ".svg"}
STALE_AFTER = 3600  # seconds: older templates of other code versions go


def fingerprint():
    digest = hashlib.sha256()
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(packages).encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


@functools.cache
def template_dir():
    base = Path(tempfile.gettempdir()) / "socialsite-test-templates"
    base.mkdir(exist_ok=True)
    folder = base / fingerprint()
    folder.mkdir(exist_ok=True)
    now = time.time()
    for other in base.iterdir():
        if other != folder and now - other.stat().st_mtime > STALE_AFTER:
            shutil.rmtree(other, ignore_errors=True)
    return folder


@contextmanager
def locked(path):
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def copy_database(source, target):
    """A self-contained copy of the SQLite file `source` (its WAL included)."""
    target = Path(target)
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def manage(settings_module, database, media, *command, extra_env=None):
    """Runs manage.py in a process of its own on the SQLite file `database`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(extra_env or {})
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(media),
        SOCIALSITE_TEST_MEDIA_ROOT=str(media),
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(
            f"manage.py {' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def build(name, settings_module, steps, start_from=None, extra_env=None):
    """The template `name` (database, media folder, output of its steps),
    built by the first process that asks, under a lock."""
    folder = template_dir()
    database = folder / f"{name}.sqlite3"
    media = folder / f"{name}-media"
    output = folder / f"{name}.out"
    with locked(database):
        if not database.exists():
            work = folder / f"{name}.building.sqlite3"
            shutil.rmtree(media, ignore_errors=True)
            media.mkdir()
            if start_from is not None:
                copy_database(start_from.database, work)
                shutil.copytree(start_from.media, media, dirs_exist_ok=True)
            else:
                work.unlink(missing_ok=True)
            text = "".join(
                manage(settings_module, work, media, *step, extra_env=extra_env)
                for step in steps
            )
            output.write_text(text, encoding="utf-8")
            copy_database(work, database)
            for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
                leftover.unlink(missing_ok=True)
    return Template(database, media, output.read_text(encoding="utf-8"))


class Template:
    def __init__(self, database, media, output):
        self.database, self.media, self.output = database, media, output


TEST_SETTINGS = "socialsite.settings.test"


def migrated():
    return build("test-migrated", TEST_SETTINGS, [["migrate", "--noinput", "-v0"]])


def demo():
    return build(
        "test-demo", TEST_SETTINGS, [["load_demo_data"]], start_from=migrated()
    )


def live_demo(env):
    """The demo for the live server's settings and environment `env`: loaded
    with those settings (their password hashers, the sandbox's accounts) on a
    copy of the migrated template (the test app's few tables stay unused)."""
    return build(
        "live-demo",
        env["DJANGO_SETTINGS_MODULE"],
        [["load_demo_data"]],
        start_from=migrated(),
        extra_env=env,
    )


def in_memory_sqlite():
    from django.conf import settings

    db = settings.DATABASES["default"]
    name = (db.get("TEST") or {}).get("NAME")
    return db["ENGINE"] == "django.db.backends.sqlite3" and name in (None, ":memory:")


def restore(template):
    """Replaces the whole test database by `template` and puts its media
    files in this process's MEDIA_ROOT."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    connection = connections["default"]
    connection.ensure_connection()
    source = sqlite3.connect(template.database)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    ContentType.objects.clear_cache()
    shutil.copytree(template.media, settings.MEDIA_ROOT, dirs_exist_ok=True)


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's set-up, except that a SQLite test database is restored
    from the migrated template instead of migrated."""
    from django.conf import settings
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    if not (django_db_use_migrations and in_memory_sqlite()):
        # pytest-django's own fixture, as it is.
        from pytest_django.fixtures import _get_databases_for_setup

        aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
        with django_db_blocker.unblock():
            config = setup_databases(
                verbosity=request.config.option.verbose,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=django_db_keepdb and not django_db_createdb,
            )
        yield
        if not django_db_keepdb:
            with django_db_blocker.unblock():
                teardown_databases(config, verbosity=request.config.option.verbose)
        return

    connection = connections["default"]
    with django_db_blocker.unblock():
        template = migrated()
        old_name = connection.settings_dict["NAME"]
        test_name = connection.creation._create_test_db(
            verbosity=0, autoclobber=True, keepdb=False
        )
        connection.close()
        settings.DATABASES["default"]["NAME"] = test_name
        connection.settings_dict["NAME"] = test_name
        restore(template)
    yield
    with django_db_blocker.unblock():
        connection.creation.destroy_test_db(old_name, verbosity=0)
