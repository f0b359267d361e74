"""The page cache (sharing.pagecache) with the test app's pages: what is
served from it, to whom, and what takes a page out of it."""

import http.server
import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.cache.backends.base import BaseCache
from django.test import Client, override_settings
from wagtail.models import Locale, Page, PageViewRestriction

from sharing import pagecache
from sharing.models import OwnMediaAccount, ShareCount, SharingSettings
from sharing.pagecache import store
from sharing.pagecache.checks import check_page_cache
from tests.testapp.models import SharedPage

from . import pagecache_urls
from .conftest import HOST

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"
WECHAT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN"
)


def visitor(n=1, agent=BROWSER):
    """A new anonymous visitor: a browser of its own, at an address of its own."""
    return Client(HTTP_HOST=HOST, HTTP_USER_AGENT=agent, REMOTE_ADDR=f"10.9.8.{n}")


def get(client, path, **extra):
    response = client.get(path, **extra)
    return response, response.content.decode()


def cache_state(response):
    return response.get("X-Page-Cache")


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_anonymous_visitors_share_one_stored_page(shared_page):
    path = f"/en/{shared_page.slug}/"
    first, html = get(visitor(1), path)
    assert first.status_code == 200 and cache_state(first) == "miss"
    second, again = get(visitor(2), path)
    assert cache_state(second) == "hit"
    assert again == html and "Spring tea" in again
    # A CDN may keep it too, a browser a little while.
    control = {part.strip() for part in second["Cache-Control"].split(",")}
    assert control == {"public", "max-age=60", "s-maxage=300"}
    assert "Set-Cookie" not in second


@override_settings(SHARING_PAGE_CACHE_MAX_AGE=5, SHARING_PAGE_CACHE_S_MAXAGE=900)
def test_the_cdn_headers_follow_the_settings(shared_page):
    response = visitor().get(f"/en/{shared_page.slug}/")
    assert set(response["Cache-Control"].split(", ")) == {
        "public",
        "max-age=5",
        "s-maxage=900",
    }


def test_signed_in_visitors_and_posts_bypass_the_cache(shared_page):
    path = f"/en/{shared_page.slug}/"
    visitor(1).get(path)
    member = get_user_model().objects.create_user("reader", "reader@example.com")
    signed_in = visitor(2)
    signed_in.force_login(member)
    response = signed_in.get(path)
    assert cache_state(response) is None
    assert "private" in response["Cache-Control"]
    # ... and nothing of theirs is stored: the next anonymous visitor gets the
    # anonymous copy.
    assert cache_state(visitor(3).get(path)) == "hit"
    post = visitor(4).post(path)
    assert cache_state(post) is None


@override_settings(SHARING_PAGE_CACHE=False)
def test_the_switch_turns_it_off(shared_page):
    path = f"/en/{shared_page.slug}/"
    visitor(1).get(path)
    response = visitor(2).get(path)
    assert cache_state(response) is None
    assert "public" not in response.get("Cache-Control", "")


def test_the_share_endpoint_is_not_even_looked_up(shared_page, monkeypatch, settings):
    """A hot endpoint the cache never stores costs no cache round trip; pages
    still do, in any language, and the prefixes can be set."""
    looked_up = []
    lookup = store.lookup
    monkeypatch.setattr(
        store, "lookup", lambda key: looked_up.append(key) or lookup(key)
    )
    for lang in ("en", "zh-hans"):
        response = visitor().get(f"/{lang}/share/x/page/{shared_page.pk}/")
        assert response.status_code == 302 and cache_state(response) is None
    assert looked_up == []
    visitor().get(f"/en/{shared_page.slug}/")
    assert len(looked_up) == 1
    settings.SHARING_PAGE_CACHE_SKIP_PATHS = [f"/{shared_page.slug}/"]
    response = visitor().get(f"/en/{shared_page.slug}/")
    assert cache_state(response) is None and len(looked_up) == 1
    settings.SHARING_PAGE_CACHE_SKIP_PATHS = []
    assert cache_state(visitor().get(f"/en/{shared_page.slug}/")) == "hit"


def test_a_publish_shows_on_the_next_anonymous_request(page_factory):
    parent = page_factory(title="Tea index")
    child = page_factory(parent=parent, title="Green tea")
    child_path = f"/en/{parent.slug}/{child.slug}/"
    assert "Green tea" in get(visitor(1), child_path)[1]
    get(visitor(1), f"/en/{parent.slug}/")
    publish(child, title="Jade green tea")
    response, html = get(visitor(2), child_path)
    assert cache_state(response) == "miss" and "Jade green tea" in html
    # The index above it lists its children: it was taken out too.
    assert cache_state(visitor(3).get(f"/en/{parent.slug}/")) == "miss"


def test_unpublishing_takes_the_page_and_those_below_it_out(page_factory):
    parent = page_factory(title="Seasonal")
    child = page_factory(parent=parent, title="Autumn oolong")
    parent_path = f"/en/{parent.slug}/"
    child_path = f"{parent_path}{child.slug}/"
    for path in (parent_path, child_path):
        visitor(1).get(path)
        assert cache_state(visitor(2).get(path)) == "hit"
    parent.unpublish()
    assert visitor(3).get(parent_path).status_code == 404
    # Wagtail still routes to a live page below an unpublished one: rendered
    # again, as everything below a page that changed its place.
    assert cache_state(visitor(3).get(child_path)) == "miss"


def test_a_new_slug_takes_the_old_addresses_out(page_factory):
    parent = page_factory(title="Seasonal")
    child = page_factory(parent=parent, title="Autumn oolong")
    child_path = f"/en/{parent.slug}/{child.slug}/"
    visitor(1).get(child_path)
    assert cache_state(visitor(2).get(child_path)) == "hit"
    publish(parent, slug="seasonal-teas")
    assert visitor(3).get(child_path).status_code == 404


def test_a_move_takes_the_old_addresses_out(page_factory):
    old_parent = page_factory(title="Old shelf")
    new_parent = page_factory(title="New shelf")
    tea = page_factory(parent=old_parent, title="White peony")
    old_path = f"/en/{old_parent.slug}/{tea.slug}/"
    visitor(1).get(old_path)
    visitor(1).get(f"/en/{old_parent.slug}/")
    tea.move(new_parent, pos="last-child")
    # Not the stored page: Wagtail's redirect to the new address.
    assert visitor(2).get(old_path).status_code == 301
    assert cache_state(visitor(2).get(f"/en/{old_parent.slug}/")) == "miss"
    moved = visitor(2).get(f"/en/{new_parent.slug}/{tea.slug}/")
    assert moved.status_code == 200


def test_a_translation_takes_its_other_languages_out(shared_page):
    chinese = Locale.objects.get_or_create(language_code="zh-hans")[0]
    translation = shared_page.copy_for_translation(chinese, copy_parents=True)
    translation.save_revision().publish()
    translation = Page.objects.get(pk=translation.pk).specific
    english_path = f"/en/{shared_page.slug}/"
    visitor(1).get(english_path)
    assert cache_state(visitor(2).get(english_path)) == "hit"
    publish(translation, title="春茶")
    # The English page links to its translation (language switchers).
    assert cache_state(visitor(3).get(english_path)) == "miss"


def test_a_view_restriction_takes_the_page_out(shared_page):
    path = f"/en/{shared_page.slug}/"
    visitor(1).get(path)
    PageViewRestriction.objects.create(
        page=shared_page, restriction_type=PageViewRestriction.LOGIN
    )
    response = visitor(2).get(path)
    assert response.status_code == 302 and "login" in response["Location"]


def test_own_media_settings_take_the_sites_pages_out(share_site, shared_page):
    path = f"/en/{shared_page.slug}/"
    visitor(1).get(path)
    assert cache_state(visitor(2).get(path)) == "hit"
    settings = SharingSettings.for_site(share_site)
    OwnMediaAccount.objects.create(settings=settings, platform="weibo", handle="tea")
    assert cache_state(visitor(3).get(path)) == "miss"
    visitor(3).get(path)
    settings.save()
    assert cache_state(visitor(4).get(path)) == "miss"


def test_tracking_parameters_share_the_page_and_still_count(shared_page):
    path = f"/en/{shared_page.slug}/"
    ShareCount.objects.all().delete()
    tagged = f"{path}?utm_source=weibo&utm_medium=social&utm_campaign=share"
    first, html = get(visitor(1), tagged)
    assert cache_state(first) == "miss"
    # The stored page is the page of the plain URL: nobody's tags in it.
    with override_settings(SHARING_PAGE_CACHE=False):
        assert visitor(5).get(path).content.decode() == html
    assert cache_state(visitor(2).get(path)) == "hit"
    assert cache_state(visitor(3).get(f"{tagged}&from=groupmessage")) == "hit"
    assert cache_state(visitor(3).get(tagged)) == "hit"
    # Two visitors from Weibo (the third came twice: once in the window).
    visits = ShareCount.objects.filter(event=ShareCount.VISIT, platform="weibo")
    assert sum(visits.values_list("count", flat=True)) == 2


def test_other_parameters_are_other_pages(shared_page):
    path = f"/en/{shared_page.slug}/"
    visitor(1).get(f"{path}?b=2&a=1")
    assert cache_state(visitor(2).get(f"{path}?a=1&b=2")) == "hit"
    assert cache_state(visitor(2).get(f"{path}?a=2&b=2")) == "miss"
    long_query = "?q=" + "x" * 2000
    visitor(1).get(path + long_query)
    assert cache_state(visitor(2).get(path + long_query)) is None


def test_head_requests_are_answered_from_the_cache(shared_page):
    path = f"/en/{shared_page.slug}/"
    visitor(1).get(path)
    assert cache_state(visitor(2).head(path)) == "hit"


def test_wechat_visitors_get_a_copy_of_their_own(shared_page):
    path = f"/en/{shared_page.slug}/"
    browser, html = get(visitor(1), path)
    wechat, wechat_html = get(visitor(2, agent=WECHAT), path)
    assert cache_state(wechat) == "miss"
    assert wechat_html != html
    assert cache_state(visitor(3, agent=WECHAT).get(path)) == "hit"
    # HTTP caches are told the page differs by browser.
    assert "User-Agent" in browser["Vary"]


def test_a_page_rendered_across_a_change_is_never_served():
    """A page whose rendering began before a change committed (it read the old
    data) is stale however late it is stored."""
    key = store.page_key(["test", "race"])
    entry, clock = store.lookup(key)
    assert entry is None
    store.invalidate({"test:tea"})  # the change commits mid-rendering
    stored = store.Entry(200, [], b"old tea", ["test:tea", pagecache.ALL], clock)
    store.save(key, "http://testserver/race/", stored)
    assert store.lookup(key)[0] is None
    # Rendered after it: fresh.
    _, clock = store.lookup(key)
    fresh = store.Entry(200, [], b"new tea", ["test:tea", pagecache.ALL], clock)
    store.save(key, "http://testserver/race/", fresh)
    assert store.lookup(key)[0].content == b"new tea"


@pytest.mark.urls("tests.sharing.pagecache_urls")
def test_invalidating_a_tag_takes_out_the_pages_that_show_it():
    pagecache_urls.TEA["name"] = "Longjing"
    visitor(1).get("/page/")
    assert cache_state(visitor(2).get("/page/")) == "hit"
    pagecache_urls.TEA["name"] = "Biluochun"
    pagecache.invalidate("test:tea")
    response, html = get(visitor(3), "/page/")
    assert cache_state(response) == "miss" and "Biluochun" in html


@pytest.mark.urls("tests.sharing.pagecache_urls")
def test_two_visitors_never_share_a_message():
    visitor_a, visitor_b = visitor(1), visitor(2)
    visitor_b.get("/page/")  # stored, without messages
    response = visitor_a.get("/message/", follow=True)
    html = response.content.decode()
    assert "for your eyes only" in html
    assert cache_state(response) is None  # A has a messages cookie: bypassed
    response, html = get(visitor_b, "/page/")
    assert cache_state(response) == "hit" and "for your eyes only" not in html
    # Nor is a page that showed a message ever stored.
    assert "for your eyes only" not in visitor(3).get("/page/").content.decode()


@pytest.mark.urls("tests.sharing.pagecache_urls")
def test_a_form_sent_without_javascript_is_sent_again_in_one_click():
    """The cached page's form has no token of its own: without csrf.js it is
    refused, and the visitor gets what they wrote back with a token."""
    visitor = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    get(visitor, "/form/")
    written = {"comment": "Sweet chestnut notes\n— 好茶", "honeypot": "", "n": "42"}
    sent = {"csrfmiddlewaretoken": "", **written}
    origin = {
        "HTTP_ORIGIN": "http://testserver",
        "HTTP_REFERER": "http://testserver/form/",
    }
    refused = visitor.post("/form/", sent, **origin)
    html = refused.content.decode()
    assert refused.status_code == 403 and "Send the form again" in html
    assert "private" in refused["Cache-Control"]
    assert "Sweet chestnut notes<br>— 好茶" in html  # what they wrote, shown
    assert ">42<" not in html  # machinery stays hidden
    assert 'href="http://testserver/form/"' in html
    form = html.split('<form method="post" action="/form/">')[1].split("</form>")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    fields = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)
    )
    del fields["csrfmiddlewaretoken"]
    assert fields == {
        "comment": "Sweet chestnut notes\n— 好茶",
        "honeypot": "",
        "n": "42",
    }
    again = visitor.post("/form/", {**fields, "csrfmiddlewaretoken": token}, **origin)
    assert again.status_code == 200 and again.content == b"Received"


@pytest.mark.urls("tests.sharing.pagecache_urls")
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_REFERER": "http://evil.example/form/"},
        {},
    ],
)
def test_a_form_from_elsewhere_is_not_offered_again(headers):
    visitor = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    refused = visitor.post("/form/", {"comment": "Transfer all points"}, **headers)
    html = refused.content.decode()
    assert refused.status_code == 403
    assert "Send the form again" not in html and "Transfer all points" not in html


@pytest.mark.urls("tests.sharing.pagecache_urls")
def test_two_visitors_never_share_a_csrf_token():
    visitor_a = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    visitor_b = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    page_a, html_a = get(visitor_a, "/form/")
    page_b, html_b = get(visitor_b, "/form/")
    assert cache_state(page_b) == "hit" and html_a == html_b
    # The stored page has an empty field and no cookie: nobody's token.
    assert 'name="csrfmiddlewaretoken" value=""' in html_a
    assert 'data-csrf-url="/share/csrf/"' in html_a and "sharing/csrf.js" in html_a
    assert "csrftoken" not in page_a.cookies and "csrftoken" not in page_b.cookies
    # Each fetches their own token (never stored), with its cookie.
    token_a = visitor_a.get("/share/csrf/")
    token_b = visitor_b.get("/share/csrf/")
    assert "no-store" in token_a["Cache-Control"]
    assert token_a.json()["token"] != token_b.json()["token"]
    secret_a = visitor_a.cookies["csrftoken"].value
    assert secret_a != visitor_b.cookies["csrftoken"].value
    sent = {"csrfmiddlewaretoken": token_a.json()["token"]}
    assert visitor_a.post("/form/", sent).status_code == 200
    # B's token does not work with A's cookie.
    stolen = {"csrfmiddlewaretoken": token_b.json()["token"]}
    assert visitor_a.post("/form/", stolen).status_code == 403
    # With their CSRF cookie, visitors still get the stored page.
    assert cache_state(visitor_a.get("/form/")) == "hit"


@pytest.mark.urls("tests.sharing.pagecache_urls")
def test_a_response_that_sets_a_cookie_is_not_stored():
    first = visitor(1).get("/cookie/")
    assert first.cookies["flavour"].value == "jasmine"
    assert "private" in first["Cache-Control"]
    assert cache_state(visitor(2).get("/cookie/")) is None


@pytest.mark.urls("tests.sharing.pagecache_urls")
def test_languages_of_unprefixed_urls_get_pages_of_their_own():
    english = visitor(1).get("/page/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = visitor(2).get("/page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert cache_state(english) == cache_state(chinese) == "miss"
    assert chinese["Content-Language"] == "zh-hans"
    again = visitor(3).get("/page/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert cache_state(again) == "hit" and again["Content-Language"] == "zh-hans"
    assert "Accept-Language" in again["Vary"]


def test_the_language_redirect_is_never_stored(shared_page):
    chinese = visitor(1).get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = visitor(2).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.status_code == english.status_code == 302
    assert chinese["Location"].startswith("/zh-hans/")
    assert english["Location"].startswith("/en/")
    assert cache_state(chinese) is None and cache_state(english) is None


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    """A frontend cache on loopback that records the PURGE requests."""

    purged = []

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        self.purged.append(f"{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def frontend_cache(settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeRecorder.purged = []
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    settings.WAGTAILFRONTENDCACHE_LANGUAGES = []
    yield PurgeRecorder.purged
    server.shutdown()
    server.server_close()


def test_the_same_invalidation_purges_the_frontend_cache(
    page_factory, frontend_cache, django_capture_on_commit_callbacks
):
    parent = page_factory(title="Tea index")
    child = page_factory(parent=parent, title="Green tea")
    parent_path = f"/en/{parent.slug}/"
    child_path = f"{parent_path}{child.slug}/"
    visitor(1).get(child_path)
    visitor(1).get(f"{parent_path}?page=2")
    with django_capture_on_commit_callbacks(execute=True):
        publish(child, title="Jade green tea")
    assert sorted(frontend_cache) == sorted(
        [f"{HOST}{child_path}", f"{HOST}{parent_path}?page=2"]
    )


def test_a_publish_purges_nothing_without_a_frontend_cache(page_factory, settings):
    assert not getattr(settings, "WAGTAILFRONTENDCACHE", None)
    page = page_factory(title="Oolong")
    visitor(1).get(f"/en/{page.slug}/")
    publish(page, title="Tieguanyin")  # no error, no purge task


def test_pages_of_the_test_app_are_cacheable(share_site):
    """Any Wagtail page is, out of the box (the before_serve_page hook)."""
    home = SharedPage.objects.get(pk=share_site.root_page_id)
    assert cache_state(visitor(1).get("/en/")) == "miss"
    assert pagecache.object_tag(home) == f"wagtailcore.page:{home.pk}"
    assert pagecache.page_tags(home)[0] == pagecache.object_tag(Page, home.pk)


def test_an_image_change_takes_out_the_pages_that_use_it(shared_page):
    path = f"/en/{shared_page.slug}/"
    visitor(1).get(path)
    assert cache_state(visitor(2).get(path)) == "hit"
    image = shared_page.image
    image.get_file_size()  # filled in on first use: no change anybody sees
    assert cache_state(visitor(2).get(path)) == "hit"
    image.focal_point_x, image.focal_point_y = 10, 10
    image.focal_point_width = image.focal_point_height = 20
    image.save()
    assert cache_state(visitor(3).get(path)) == "miss"


def test_the_checks_refuse_a_misplaced_middleware(settings):
    def ids():
        # W031 (local memory outside DEBUG) is the test settings' own.
        return [e.id for e in check_page_cache(None) if e.id != "sharing.W031"]

    assert ids() == []
    middleware = [name for name in settings.MIDDLEWARE if name != pagecache.MIDDLEWARE]
    settings.MIDDLEWARE = [*middleware, pagecache.MIDDLEWARE]
    assert ids() == ["sharing.E030"]
    settings.MIDDLEWARE = [*middleware[:2], pagecache.MIDDLEWARE, *middleware[2:]]
    settings.SHARING_PAGE_CACHE_S_MAXAGE = 7200
    settings.SHARING_PAGE_CACHE_TIMEOUT = "soon"
    assert ids() == ["sharing.E032", "sharing.W030"]


class DownCache(BaseCache):
    """A cache server that does not answer."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("Connection refused")

    add = get = set = delete = get_many = set_many = delete_many = incr = _down


def test_the_site_works_while_the_cache_is_down(settings, page_factory):
    page = page_factory(title="Keemun")
    settings.CACHES = {
        **settings.CACHES,
        "down": {"BACKEND": "tests.sharing.test_pagecache.DownCache"},
    }
    settings.SHARING_PAGE_CACHE_ALIAS = "down"
    path = f"/en/{page.slug}/"
    response = visitor(1).get(path)
    assert response.status_code == 200 and "Keemun" in response.content.decode()
    publish(page, title="Keemun Mao Feng")  # an editor's change goes through
    assert "Mao Feng" in visitor(2).get(path).content.decode()
