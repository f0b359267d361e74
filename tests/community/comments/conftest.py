"""Fixtures of the comment tests: pages of the tests' own app (never the demo
site) and members."""

import pytest
from wagtail.models import Page, Site

from community.comments.models import Comment, ThreadFollow
from tests.factories import MemberFactory
from tests.testapp.models import CommentablePage, TeaProduct


def site_root():
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_page.specific if site else Page.get_first_root_node()


def add_page(model, title, **fields):
    page = model(title=title, **fields)
    site_root().add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture(autouse=True)
def _no_comments_of_other_tests(db):
    """Start without comments or follows: the demo site, when another test of
    this process loaded it, has its own threads (deleted inside this test's
    transaction only)."""
    ThreadFollow.objects.all().delete()
    Comment.objects.all().delete()


@pytest.fixture
def make_page(db):
    """Makes a published CommentablePage under the default site's root."""

    def make(title="Brewing oolong", **fields):
        return add_page(CommentablePage, title, **fields)

    return make


@pytest.fixture
def page(make_page):
    return make_page(intro="Water at 95 °C, short steeps.")


@pytest.fixture
def product(db):
    return add_page(TeaProduct, "Tieguanyin 2025")


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
