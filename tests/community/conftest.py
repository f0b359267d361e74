import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clean_comments(demo_site):
    """The demo site without its demo comment threads (inside the test's
    transaction, so other tests still see them)."""
    from community.models import Comment

    Comment.objects.all().delete()
