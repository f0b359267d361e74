"""The share endpoint: one write, a 302 to an intent built on the server, 404
for anything bad, no open redirect; share-driven visits; bots not counted."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from sharing.models import ShareCount
from sharing.registry import registry

UA_BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def share_url(page, platform="weibo", kind="page", lang="en"):
    return f"/{lang}/share/{platform}/{kind}/{page.pk}/"


def counts(event=ShareCount.SHARE):
    return dict(ShareCount.objects.filter(event=event).values_list("platform", "count"))


def test_share_redirects_to_the_intent_built_on_the_server(browser_client, shared_page):
    response = browser_client.get(share_url(shared_page, "weibo"))
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == (
        "https",
        "service.weibo.com",
        "/share/share.php",
    )
    params = parse_qs(target.query)
    assert params["url"] == [
        f"http://sharing.test/en/{shared_page.slug}/"
        "?utm_source=weibo&utm_medium=social&utm_campaign=share"
    ]
    assert params["title"] == ["Spring tea"]
    assert params["pic"][0].startswith("http://sharing.test/")
    assert "fill-1200x630" in params["pic"][0]
    assert response["Cache-Control"].startswith("max-age=0")
    assert "Set-Cookie" not in response.headers
    row = ShareCount.objects.get()
    assert (row.event, row.platform, row.object_kind, row.object_id, row.count) == (
        "share",
        "weibo",
        "page",
        shared_page.pk,
        1,
    )
    assert row.day == timezone.localdate()
    assert row.site.hostname == "sharing.test"


@pytest.mark.parametrize("platform", [p.id for p in registry.share_platforms()])
def test_every_share_platform_redirects_and_counts(
    browser_client, shared_page, platform
):
    response = browser_client.get(share_url(shared_page, platform))
    assert response.status_code == 302
    location = response["Location"]
    tagged = f"utm_source={platform}"
    if platform == "wechat":
        assert location == f"/en/share/qr/wechat/page/{shared_page.pk}/"
    elif platform == "mastodon":
        # Our page that asks for the visitor's server.
        assert location == f"/en/share/instance/mastodon/page/{shared_page.pk}/"
    else:
        assert tagged in location or f"utm_source%3D{platform}" in location
    assert counts() == {platform: 1}


def test_the_share_endpoint_does_at_most_one_write(
    browser_client, shared_page, settings
):
    # The database counter backend (the Redis one writes nothing in the
    # request: test_counters.py).
    settings.SHARING_COUNTER_BACKEND = (
        "sharing.counters.database.DatabaseCounterBackend"
    )
    browser_client.get(share_url(shared_page))  # warm caches (site, renditions)
    with CaptureQueriesContext(connection) as queries:
        # Another visitor (one visitor's repeats count once: test_dedupe.py).
        browser_client.get(share_url(shared_page), REMOTE_ADDR="203.0.113.2")
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT"))
        and not query["sql"].lstrip().upper().startswith("RELEASE")
    ]
    assert len(writes) == 1, writes
    assert writes[0].upper().startswith("INSERT")
    assert counts() == {"weibo": 2}


def test_repeated_shares_add_up(browser_client, shared_page, page_factory):
    other = page_factory(title="Autumn tea")
    for visitor in range(3):  # three visitors
        browser_client.get(
            share_url(shared_page, "x"), REMOTE_ADDR=f"203.0.113.{visitor}"
        )
    browser_client.get(share_url(other, "x"))
    browser_client.get(share_url(shared_page, "qq"))
    assert ShareCount.total_for("page", shared_page.pk) == 4
    assert ShareCount.total_for("page", other.pk) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/en/share/myspace/page/{pk}/",  # unknown platform
        "/en/share/douyin/page/{pk}/",  # follow-only platform
        "/en/share/weibo/post/{pk}/",  # unknown kind
        "/en/share/weibo/page/999999/",  # unknown object
        "/en/share/weibo/page/99999999999999999999999999/",  # overflowing id
        "/en/share/weibo/page/-1/",
        "/en/share/weibo/page/1e3/",
        "/en/share/weibo/page/{pk}abc/",
        "/en/share/weibo/page/%2F%2Fevil.example/",
        "/en/share/weibo/page/{pk}/%2F%2Fevil.example",
        "/en/share/WEIBO/page/{pk}/",
        "/en/share/weibo/page/",
        "/en/share/qr/weibo/page/999999/",
        "/en/share/qr/myspace/page/{pk}.svg",
    ],
)
def test_bad_input_is_a_404_never_a_redirect(browser_client, shared_page, path):
    response = browser_client.get(path.format(pk=shared_page.pk))
    assert response.status_code == 404
    assert "Location" not in response.headers
    assert not ShareCount.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "?next=https://evil.example/",
        "?url=https://evil.example/&u=//evil.example",
        "?redirect=javascript:alert(1)",
        "?utm_source=evil&title=%22%3E%3Cscript%3E",
    ],
)
def test_no_open_redirect_through_the_query_string(browser_client, shared_page, query):
    response = browser_client.get(share_url(shared_page, "copy") + query)
    assert response.status_code == 302
    assert response["Location"] == (
        f"http://sharing.test/en/{shared_page.slug}/"
        "?utm_source=copy&utm_medium=social&utm_campaign=share"
    )
    response = browser_client.get(share_url(shared_page, "facebook") + query)
    assert "evil" not in response["Location"] and "script" not in response["Location"]


def test_a_crafted_host_header_is_refused(client, shared_page, settings):
    settings.ALLOWED_HOSTS = ["sharing.test"]
    response = client.get(
        share_url(shared_page, "copy"),
        HTTP_HOST="evil.example",
        HTTP_USER_AGENT="Mozilla/5.0",
    )
    assert response.status_code == 400
    assert not ShareCount.objects.exists()


def test_unpublished_and_private_pages_cannot_be_shared(
    browser_client, shared_page, page_factory
):
    draft = page_factory(title="Draft")
    draft.unpublish()
    assert browser_client.get(share_url(draft)).status_code == 404
    private = page_factory(title="Members only")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert browser_client.get(share_url(private)).status_code == 404
    child = page_factory(parent=private, title="Below a private page")
    assert browser_client.get(share_url(child)).status_code == 404
    # A plain Wagtail page (not Shareable) cannot be shared either.
    assert browser_client.get("/en/share/weibo/page/1/").status_code == 404
    assert not ShareCount.objects.exists()


def test_post_is_refused_and_head_is_not_counted(browser_client, shared_page):
    assert browser_client.post(share_url(shared_page)).status_code == 405
    assert browser_client.head(share_url(shared_page)).status_code == 302
    assert not ShareCount.objects.exists()


@pytest.mark.parametrize(
    "agent",
    [
        UA_BOT,
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Twitterbot/1.0",
        "WhatsApp/2.23.20.0",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0)",
        "Sogou web spider/4.0",
        "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (compatible; "
        "Bytespider; spider-feedback@bytedance.com)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "curl/8.5.0",
        "",
    ],
)
def test_bots_and_link_previews_are_not_counted(client, shared_page, agent):
    response = client.get(
        share_url(shared_page), HTTP_HOST="sharing.test", HTTP_USER_AGENT=agent
    )
    assert response.status_code == 302
    response = client.get(
        f"/en/{shared_page.slug}/?utm_source=weibo&utm_medium=social",
        HTTP_HOST="sharing.test",
        HTTP_USER_AGENT=agent,
    )
    assert response.status_code == 200
    assert not ShareCount.objects.exists()


def test_prefetches_are_not_counted(browser_client, shared_page):
    browser_client.get(share_url(shared_page), HTTP_SEC_PURPOSE="prefetch")
    assert not ShareCount.objects.exists()


def test_share_driven_visits_are_counted_per_platform(browser_client, shared_page):
    path = f"/en/{shared_page.slug}/"
    assert (
        browser_client.get(path + "?utm_source=weibo&utm_medium=social").status_code
        == 200
    )
    browser_client.get(  # another visitor
        path + "?utm_source=weibo&utm_medium=social&utm_campaign=x",
        REMOTE_ADDR="203.0.113.2",
    )
    browser_client.get(path + "?utm_source=wechat&utm_medium=social")
    # Not share-driven: unknown platform, other medium, no tags.
    browser_client.get(path + "?utm_source=newsletter&utm_medium=social")
    browser_client.get(path + "?utm_source=weibo&utm_medium=cpc")
    browser_client.get(path)
    assert counts(ShareCount.VISIT) == {"weibo": 2, "wechat": 1}
    assert not counts(ShareCount.SHARE)
    # Anonymous visitors get no cookie from the count.
    response = browser_client.get(path + "?utm_source=x&utm_medium=social")
    assert not response.cookies


def test_visits_to_private_pages_are_not_counted(browser_client, page_factory):
    private = page_factory(title="Private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    browser_client.get(f"/en/{private.slug}/?utm_source=weibo&utm_medium=social")
    assert not ShareCount.objects.exists()


def test_wechat_qr_page_and_svg(browser_client, shared_page):
    response = browser_client.get(f"/en/share/qr/wechat/page/{shared_page.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "Share on WeChat" in html
    assert 'name="robots" content="noindex"' in html
    svg = browser_client.get(f"/en/share/qr/wechat/page/{shared_page.pk}.svg")
    assert svg.status_code == 200
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert b'xmlns="http://www.w3.org/2000/svg"' in svg.content
    assert b"<script" not in svg.content
    # The QR page is not a share: opening it counts nothing.
    assert not ShareCount.objects.exists()


def test_qr_code_encodes_the_tagged_canonical_url(browser_client, shared_page):
    from sharing.views import qr_svg_markup

    expected = (
        f"http://sharing.test/en/{shared_page.slug}/"
        "?utm_source=wechat&utm_medium=social&utm_campaign=share"
    )
    untagged = f"http://sharing.test/en/{shared_page.slug}/"
    response = browser_client.get(f"/en/share/qr/wechat/page/{shared_page.pk}/")
    html = response.content.decode()
    assert qr_svg_markup(expected) in html
    assert qr_svg_markup(untagged) not in html


def test_tag_url_replaces_utm_and_keeps_other_parameters():
    from sharing.shareables import tag_url

    assert tag_url("https://a.example/p?x=1&utm_source=old#frag", "weibo") == (
        "https://a.example/p?x=1&utm_source=weibo&utm_medium=social&utm_campaign=share"
    )
