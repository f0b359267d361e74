import io

import pytest
from django.core.management import call_command
from django.utils import translation

from tests import dbtemplates
from tests.caches import clear_cache

# One live demo server and one Chromium per test process, for every folder;
# the migrated and demo databases built once for all of them.
pytest_plugins = ["tests.live", "tests.dbtemplates"]


@pytest.fixture(scope="session")
def demo_site_data(django_db_setup, django_db_blocker):
    """The demo company site, loaded once for the whole test session (on
    SQLite, restored from the demo template built once for every process)."""
    with django_db_blocker.unblock():
        if dbtemplates.in_memory_sqlite():
            template = dbtemplates.demo()
            dbtemplates.restore(template)
            clear_cache()
            return template.output
        out = io.StringIO()
        call_command("load_demo_data", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_site(demo_site_data, db):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


@pytest.fixture
def editor(demo_site, django_user_model):
    return django_user_model.objects.get(username="editor")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages (the sitemap) live in the cache:
    every test starts from an empty one, whatever ran before it."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def english():
    """URLs reversed in tests carry the active language, and a request may
    leave another one active: start each test in English."""
    with translation.override("en"):
        yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run order within each worker (xdist hands a worker its tests in this
    order), shuffled within each group:
    1. tests that do not load the demo site: `demo_site_data` commits the demo
       into a worker's test database for the rest of its run, so none of them
       ever sees its rows;
    2. the tests that load it;
    3. transactional tests (the concurrency tests): they empty every table
       when they end, also what migrations put there (the default Locale, the
       root page) that the demo loader needs.
    The browser tests use the live site's own database, not the worker's:
    they are shuffled among the first group, so that while one worker waits
    for its browser another computes (tests/live.py's `_without_browser_loop`
    lets the database be used after Playwright has started)."""

    def group(item):
        names = item.fixturenames
        if "transactional_db" in names or "live_server" in names:
            return 2
        return 1 if "demo_site_data" in names else 0

    items.sort(key=group)  # stable: the shuffled order stays within a group
