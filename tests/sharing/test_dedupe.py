"""Share clicks, share-driven visits and post views count once per visitor per
window, without cookies: the cache holds a keyed hash of the visitor's
addresses and user agent (or member id), salted by the day."""

import datetime
import time

import pytest
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Page, Site

from community.posts.models import Post
from community.visitors import visitor_key as community_visitor_key
from sharing import tracking
from sharing.models import ShareCount
from tests.community.posts.post_helpers import make_board
from tests.factories import MemberFactory, PostFactory

pytestmark = pytest.mark.django_db

CHROME = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


def share(client, page, platform="weibo", **headers):
    response = client.get(f"/en/share/{platform}/page/{page.pk}/", **headers)
    assert response.status_code == 302
    return response


def shares(page):
    return ShareCount.total_for("page", page.pk)


def test_fifty_clicks_of_one_visitor_count_once(browser_client, shared_page):
    for _ in range(50):
        response = share(browser_client, shared_page)
    assert shares(shared_page) == 1
    # Every click still goes to the platform, and no cookie is set.
    assert response["Location"].startswith("https://service.weibo.com/")
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


def test_other_visitors_platforms_and_objects_count(
    browser_client, shared_page, page_factory
):
    share(browser_client, shared_page)
    share(browser_client, shared_page, HTTP_USER_AGENT=FIREFOX)  # another browser
    share(browser_client, shared_page, REMOTE_ADDR="203.0.113.9")  # another address
    # Behind a proxy everyone has the proxy's address; the proxy names them.
    share(browser_client, shared_page, HTTP_X_FORWARDED_FOR="198.51.100.7")
    share(browser_client, shared_page, HTTP_X_FORWARDED_FOR="198.51.100.7")
    share(browser_client, shared_page, "x")  # another platform
    other = page_factory(title="Autumn tea")
    share(browser_client, other)
    assert shares(shared_page) == 5
    assert shares(other) == 1
    assert dict(
        ShareCount.objects.filter(object_id=shared_page.pk).values_list(
            "platform", "count"
        )
    ) == {"weibo": 4, "x": 1}


def test_a_repeat_after_the_window_counts_again(
    browser_client, shared_page, monkeypatch
):
    monkeypatch.setattr(tracking, "COUNT_WINDOW", 1)
    share(browser_client, shared_page)
    share(browser_client, shared_page)
    assert shares(shared_page) == 1
    time.sleep(1.2)
    share(browser_client, shared_page)
    assert shares(shared_page) == 2


def test_the_key_is_salted_by_the_day(browser_client, shared_page, monkeypatch):
    share(browser_client, shared_page)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(tracking.timezone, "now", lambda: tomorrow)
    share(browser_client, shared_page)
    assert shares(shared_page) == 2


def test_the_key_says_nothing_about_the_visitor(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT=CHROME
    )
    key = tracking.visitor_key(request, "share", "weibo", "page", 1)
    assert len(key) == 64 and int(key, 16) >= 0
    assert "192.0.2.44" not in key
    assert key == tracking.visitor_key(request, "share", "weibo", "page", 1)
    assert key != tracking.visitor_key(request, "share", "weibo", "page", 2)
    # Derived from SECRET_KEY: another installation cannot recompute it.
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert key != tracking.visitor_key(request, "share", "weibo", "page", 1)


def test_share_driven_visits_count_once_per_visitor(browser_client, shared_page):
    path = f"/en/{shared_page.slug}/?utm_source=weibo&utm_medium=social"
    for _ in range(10):
        assert browser_client.get(path).status_code == 200
    browser_client.get(path, HTTP_USER_AGENT=FIREFOX)
    visits = ShareCount.objects.filter(event=ShareCount.VISIT, object_id=shared_page.pk)
    assert sum(visits.values_list("count", flat=True)) == 2


def test_a_member_is_known_by_their_account(browser_client, shared_page):
    browser_client.force_login(MemberFactory())
    share(browser_client, shared_page)
    share(browser_client, shared_page, HTTP_USER_AGENT=FIREFOX)
    share(browser_client, shared_page, REMOTE_ADDR="203.0.113.10")
    assert shares(shared_page) == 1


@pytest.fixture
def board(db):
    site = Site.objects.filter(is_default_site=True).first()
    home = site.root_page.specific if site else Page.get_first_root_page()
    return make_board(home)


def view(client, post, **headers):
    path = post.board.url + post.board.reverse_subpage("post", args=[post.pk])
    response = client.get(path, **{"HTTP_USER_AGENT": CHROME, **headers})
    assert response.status_code == 200
    return response


def test_fifty_views_of_one_visitor_count_once(client, board):
    post = PostFactory(board=board)
    for _ in range(50):
        response = view(client, post)
    assert Post.objects.get(pk=post.pk).view_count == 1
    # Counting sets no cookie (the page's forms have their CSRF cookie).
    assert set(response.cookies) <= {"csrftoken"}
    view(client, post, HTTP_USER_AGENT=FIREFOX)
    view(client, post, REMOTE_ADDR="203.0.113.11")
    assert Post.objects.get(pk=post.pk).view_count == 3
    other = PostFactory(board=board)
    view(client, other)
    assert Post.objects.get(pk=other.pk).view_count == 1


def test_post_views_window_is_a_setting(client, board, settings):
    settings.COMMUNITY_VIEW_COUNT_WINDOW = 1
    post = PostFactory(board=board)
    view(client, post)
    view(client, post)
    time.sleep(1.2)
    view(client, post)
    assert Post.objects.get(pk=post.pk).view_count == 2


def test_the_community_key_rotates_daily(monkeypatch):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_USER_AGENT=CHROME)
    today = community_visitor_key(request, "post-view", 1)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr("community.visitors.timezone.now", lambda: tomorrow)
    assert community_visitor_key(request, "post-view", 1) != today
