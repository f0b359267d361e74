import io

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.caches import clear_cache

# One live demo server and one Chromium per test process, for every folder.
pytest_plugins = ["tests.live"]


@pytest.fixture(scope="session")
def demo_site_data(django_db_setup, django_db_blocker):
    """The demo company site, loaded once for the whole test session."""
    with django_db_blocker.unblock():
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
    """`demo_site_data` commits the demo site into a worker's test database for
    the rest of its run: tests that do not ask for it run first (in their
    shuffled order), so none of them ever sees the demo's rows. xdist hands
    each worker its tests in this order."""
    items[:] = [
        *(item for item in items if "demo_site_data" not in item.fixturenames),
        *(item for item in items if "demo_site_data" in item.fixturenames),
    ]
