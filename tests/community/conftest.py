import itertools
import os
import uuid

import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """A test that inspects stored files (avatars) gets a media folder of its
    own. Opt-in: pages of the session's demo site need its original images."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


_addresses = itertools.count(1)


@pytest.fixture
def client():
    """A test client with an IP address of its own: allauth's rate limits count
    per IP in the shared cache (Redis in CI), so tests must not share one."""
    from django.test import Client

    n = next(_addresses)
    return Client(REMOTE_ADDR=f"10.{os.getpid() % 250}.{n // 250}.{n % 250 + 1}")


@pytest.fixture
def unique_email():
    return f"member-{uuid.uuid4().hex[:12]}@example.com"


@pytest.fixture(autouse=True)
def _no_pending_insights_refresh():
    """Days queued for an insights refresh wait for their transaction's
    commit, which never comes inside a test's transaction: start each test
    with none queued by an earlier one."""
    from community.insights import aggregates

    aggregates.pending_days().clear()
