"""The share endpoint's object cache (`sharing.snapshots`): a cached click
reads no database, and every change that shows in share links shows on the
next click: publish, unpublish, move, delete, view restrictions, the site's
default picture, other apps' objects through `shareable_changed`."""

import time
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from sharing import snapshots
from sharing.models import ShareCount, SharingSettings
from sharing.signals import shareable_changed
from tests.testapp.models import SharedPage

DATABASE = "sharing.counters.database.DatabaseCounterBackend"


def share(client, page, platform="weibo", lang="en", **headers):
    return client.get(f"/{lang}/share/{platform}/page/{page.pk}/", **headers)


def weibo_params(response):
    assert response.status_code == 302
    return parse_qs(urlsplit(response["Location"]).query)


def test_a_cached_click_reads_nothing_and_writes_one_upsert(
    browser_client, shared_page, settings
):
    settings.SHARING_COUNTER_BACKEND = DATABASE
    share(browser_client, shared_page)
    with CaptureQueriesContext(connection) as queries:
        response = share(browser_client, shared_page, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == 1, statements
    assert statements[0].lstrip().upper().startswith("INSERT")
    assert ShareCount.total_for("page", shared_page.pk) == 2


def test_a_new_title_shows_on_the_next_click(browser_client, shared_page):
    assert weibo_params(share(browser_client, shared_page))["title"] == ["Spring tea"]
    shared_page.title = "Spring tea, first flush"
    shared_page.save_revision().publish()
    assert weibo_params(share(browser_client, shared_page))["title"] == [
        "Spring tea, first flush"
    ]


def test_unpublished_and_deleted_pages_stop_at_once(browser_client, page_factory):
    page = page_factory(title="Oolong")
    assert share(browser_client, page).status_code == 302
    page.unpublish()
    assert share(browser_client, page).status_code == 404
    page.save_revision().publish()
    assert share(browser_client, page).status_code == 302
    Page.objects.get(pk=page.pk).specific.delete()
    assert share(browser_client, page).status_code == 404


def test_a_view_restriction_on_a_parent_stops_its_children(
    browser_client, page_factory
):
    section = page_factory(title="Section")
    child = page_factory(parent=section, title="Child")
    assert share(browser_client, child).status_code == 302
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert share(browser_client, child).status_code == 404
    restriction.delete()
    assert share(browser_client, child).status_code == 302


def test_a_moved_page_is_shared_with_its_new_url(browser_client, page_factory):
    page = page_factory(title="Green tea", slug="green")
    section = page_factory(title="Teas", slug="teas")
    assert weibo_params(share(browser_client, page))["url"][0].startswith(
        "http://sharing.test/en/green/"
    )
    Page.objects.get(pk=page.pk).move(section, pos="last-child")
    assert weibo_params(share(browser_client, page))["url"][0].startswith(
        "http://sharing.test/en/teas/green/"
    )


def test_the_sites_default_picture_shows_at_once(
    browser_client, page_factory, share_site, image_factory
):
    page = page_factory(title="No picture")
    assert "pic" not in weibo_params(share(browser_client, page))
    settings = SharingSettings.for_site(share_site)
    settings.default_share_image = image_factory("Default")
    settings.save()
    assert "default" in weibo_params(share(browser_client, page))["pic"][0]


def test_other_kinds_send_shareable_changed(browser_client, shared_page):
    share(browser_client, shared_page)
    # A change without signals (a queryset update) shows after the timeout...
    SharedPage.objects.filter(pk=shared_page.pk).update(title="Renamed")
    assert weibo_params(share(browser_client, shared_page))["title"] == ["Spring tea"]
    # ...or at once when the app says so.
    shareable_changed.send(sender=SharedPage, kind="page", pk=shared_page.pk)
    assert weibo_params(share(browser_client, shared_page))["title"] == ["Renamed"]


def test_snapshots_expire(browser_client, shared_page, settings):
    settings.SHARING_SHARE_CACHE_TIMEOUT = 1
    share(browser_client, shared_page)
    SharedPage.objects.filter(pk=shared_page.pk).update(title="Renamed")
    time.sleep(1.2)
    assert weibo_params(share(browser_client, shared_page))["title"] == ["Renamed"]


def test_a_change_during_a_rebuild_is_not_hidden(
    browser_client, shared_page, monkeypatch
):
    """A snapshot built while a change commits carries the generation read
    before it: the next click builds again."""
    build = snapshots.build
    builds = []

    def build_during_a_publish(request, kind, pk):
        data = build(request, kind, pk)
        builds.append(pk)
        if len(builds) == 1:
            snapshots.forget_all()  # the change commits meanwhile
        return data

    monkeypatch.setattr(snapshots, "build", build_during_a_publish)
    share(browser_client, shared_page)
    share(browser_client, shared_page)
    share(browser_client, shared_page)
    assert len(builds) == 2


def test_each_host_and_language_has_its_snapshot(
    browser_client, shared_page, share_site
):
    other = Site.objects.create(
        hostname="other.test", port=80, root_page=share_site.root_page
    )
    share(browser_client, shared_page, "wechat")
    share(browser_client, shared_page, "wechat", HTTP_HOST="other.test")
    sites = dict(ShareCount.objects.values_list("site_id", "count"))
    assert sites == {share_site.pk: 1, other.pk: 1}
    response = share(browser_client, shared_page, "wechat", lang="zh-hans")
    assert response["Location"] == f"/zh-hans/share/qr/wechat/page/{shared_page.pk}/"


def test_unknown_objects_are_404_and_looked_up_once(
    browser_client, share_site, monkeypatch
):
    build = snapshots.build
    builds = []

    def counted(request, kind, pk):
        builds.append((kind, pk))
        return build(request, kind, pk)

    monkeypatch.setattr(snapshots, "build", counted)
    for _n in range(3):
        assert browser_client.get("/en/share/weibo/page/987654/").status_code == 404
        # Kinds nobody registered are refused before the cache.
        assert browser_client.get("/en/share/weibo/thing/987654/").status_code == 404
    assert builds == [("page", 987654)]
