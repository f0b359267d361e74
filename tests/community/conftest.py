import itertools
import os
import uuid

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its files (avatars) in a folder of its own."""
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
def english():
    """URLs reversed in tests carry the active language: start each test in
    English whatever a previous request activated."""
    from django.utils import translation

    with translation.override("en"):
        yield
