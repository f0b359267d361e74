"""Query budgets of the demo site's pages (issue 13): what every page shows
(settings, menus, languages, share buttons, own-media accounts, the member
menu, the popular block) comes from per-request or cached lookups, so each
page type renders, for an anonymous visitor and for a signed-in member, within
a fixed number of queries. Rendering is measured: the anonymous page cache is
off here (tests/sharing and tests/socialsite test it on its own).

The budgets are tight on purpose: a test failing here means a page does more
work than it did; look at the queries it lists (`-v`) before raising one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from community.posts.models import CommunityBoardPage, Post
from socialsite.website.models import ArticlePage, ProductPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]

#: {page: (anonymous, signed in)}: most queries one GET may take, the cache
#: warm (a second GET of the same page). A signed-in member's board and post
#: pages ask whether they may post there, which asks the events app too
#: (is this an event's photo board?): one query.
BUDGETS = {
    "home": (8, 13),
    "article": (20, 26),
    "product": (21, 27),
    "board": (16, 23),
    "post": (15, 23),
    "member": (7, 12),
}


def demo_urls():
    english = {"locale__language_code": "en"}
    article = ArticlePage.objects.live().filter(**english).order_by("pk").first()
    product = ProductPage.objects.live().filter(**english).order_by("pk").first()
    board = CommunityBoardPage.objects.live().filter(**english).order_by("pk").first()
    post = Post.objects.live().filter(board=board).order_by("pk").first()
    return {
        "home": "/en/",
        "article": article.url,
        "product": product.url,
        "board": board.url,
        "post": post.get_url(),
        "member": reverse("community:member", args=["visitor"]),
    }


def queries_of(client, url):
    """The queries of a GET of `url` once the caches are warm."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries]


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.get(username="visitor")


@override_settings(SHARING_PAGE_CACHE=False)
@pytest.mark.parametrize("page", list(BUDGETS))
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_page_within_its_query_budget(
    client, member, page, signed_in, django_assert_max_num_queries
):
    url = demo_urls()[page]
    if signed_in:
        client.force_login(member)
    client.get(url)
    with django_assert_max_num_queries(BUDGETS[page][signed_in]):
        response = client.get(url)
    assert response.status_code == 200
    if signed_in:
        assert 'action="/accounts/logout/"' in response.content.decode()


@override_settings(SHARING_PAGE_CACHE=False)
def test_what_every_page_shows_costs_no_query(client, member):
    """Menus, languages, the own-media accounts and the share buttons: no
    query of their tables once cached; the viewer's profile comes with the
    member menu, not once per avatar."""
    client.force_login(member)
    for url in demo_urls().values():
        queries = queries_of(client, url)
        for table in (
            "sharing_sharingsettings",
            "sharing_ownmediaaccount",
            "sharing_sharebuttonset",
        ):
            assert not [sql for sql in queries if f'"{table}"' in sql], (url, table)
        # Wagtail's routing looks up the request's locale (and the board
        # links the locale of their language); the menus and the language
        # switcher neither look up nor list locales.
        by_code = [
            sql
            for sql in queries
            if 'FROM "wagtailcore_locale" WHERE "wagtailcore_locale"."language_code"'
            in sql
        ]
        assert len(by_code) <= 2, (url, by_code)
        assert not [sql for sql in queries if 'FROM "wagtailcore_locale" ORDER' in sql]
        # The viewer's profile (and on their page, the member's): not one per
        # avatar shown.
        profiles = [sql for sql in queries if 'FROM "community_profile"' in sql]
        assert len(profiles) <= 2, (url, profiles)
