"""The security tests (issue 20): what a red team found held, kept held.
They use the test app for the reusable apps and the demo site where they probe
the demo's public URLs; the browser test reuses the end-to-end tests' live
demo site and Chromium."""

import itertools
import os

import pytest
from wagtail.models import Page, Site

from tests.community.posts.post_helpers import make_board
from tests.factories import MemberFactory

_addresses = itertools.count(1)


@pytest.fixture
def client():
    """A test client with an IP address of its own: rate limits count per IP
    in the shared cache, so tests must not share one."""
    from django.test import Client

    n = next(_addresses)
    return Client(REMOTE_ADDR=f"10.{os.getpid() % 250}.{200 + n // 250}.{n % 250}")


@pytest.fixture
def media_root(settings, tmp_path):
    """A media folder of the test's own, to see every file it stores."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def home(db):
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_page.specific if site else Page.get_first_root_page()


@pytest.fixture
def board(home):
    """A board of the test app's site that any member may post photos on,
    without pre-moderation."""
    return make_board(home, who_may_post="members")


@pytest.fixture
def member(db):
    return MemberFactory()


def stored_files(root):
    """Every file under `root` (a media folder), as paths relative to it."""
    if not root.exists():
        return []
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()
    )
