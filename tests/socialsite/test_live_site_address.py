"""The live demo server of the browser tests (tests/live.py) gets its address
by writing two rows into its copy of the demo database instead of running
`load_demo_data --site-url`: these tests keep the two the same."""

import re
import sqlite3

import pytest
from django.conf import settings
from django.contrib.sites.models import Site as DjangoSite
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from socialsite.website.management.commands.load_demo_data import Command
from tests.live import set_site_address

WRITE = re.compile(r'^\s*(?:UPDATE|INSERT INTO|DELETE FROM)\s+"?(\w+)"?', re.I)


@pytest.mark.django_db
def test_site_url_writes_only_the_two_site_rows():
    with CaptureQueriesContext(connection) as queries:
        Command().set_site_url("http://127.0.0.1:8123")
    written = {
        match.group(1) for query in queries if (match := WRITE.match(query["sql"]))
    }
    assert written == {"wagtailcore_site", "django_site"}
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    assert DjangoSite.objects.filter(
        pk=settings.SITE_ID, domain="127.0.0.1:8123", name="Cloudmist Tea"
    ).exists()


def test_live_site_address_writes_the_same(tmp_path):
    database = tmp_path / "site.sqlite3"
    with sqlite3.connect(database) as db:
        db.executescript(
            "CREATE TABLE wagtailcore_site (id INTEGER PRIMARY KEY, hostname TEXT,"
            " port INTEGER, is_default_site BOOL);"
            "CREATE TABLE django_site (id INTEGER PRIMARY KEY, domain TEXT,"
            " name TEXT);"
            "INSERT INTO wagtailcore_site VALUES (1, 'localhost', 80, 1),"
            " (2, 'other.example', 80, 0);"
            "INSERT INTO django_site VALUES (1, 'example.com', 'example.com');"
        )
    db.close()
    set_site_address(database, "127.0.0.1", 8123)
    with sqlite3.connect(database) as db:
        sites = db.execute(
            "SELECT hostname, port FROM wagtailcore_site ORDER BY id"
        ).fetchall()
        django_sites = db.execute("SELECT id, domain, name FROM django_site").fetchall()
    db.close()
    assert sites == [("127.0.0.1", 8123), ("other.example", 80)]
    assert django_sites == [(settings.SITE_ID, "127.0.0.1:8123", "Cloudmist Tea")]
