"""Fetches never reach inside our own network: a private address, also as a
redirect hop, is refused with a reason on the source, unless
COMMUNITY_INSIGHTS_ALLOW_PRIVATE_ADDRESSES allows it."""

import pytest

from community.insights import ingest
from community.insights.models import ExternalPost
from community.insights.sources import network
from tests.community.insights import sources_helpers
from tests.community.insights.sources_helpers import make_source

fake_server = sources_helpers.fake_server
pytestmark = pytest.mark.django_db

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Network test item</title><link>https://n.example/1</link>
<description>Network test item text</description></item></channel></rss>"""


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/feed.xml",
        "http://localhost:{port}/feed.xml",
        "http://[::1]:{port}/feed.xml",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/feed.xml",
        "http://0.0.0.0:{port}/feed.xml",
    ],
)
def test_a_private_address_is_refused_with_a_reason(fake_server, settings, url):
    fake_server.routes["/feed.xml"] = (200, {}, FEED)
    settings.COMMUNITY_INSIGHTS_ALLOW_PRIVATE_ADDRESSES = False
    source = make_source("rss", url=url.format(port=fake_server.server_address[1]))
    result = ingest.fetch(source)
    assert not result["ok"]
    source.refresh_from_db()
    assert source.last_error.startswith("The address is refused")
    assert "non-public address" in source.last_error
    assert source.failures == 1
    assert fake_server.requests == []
    assert not ExternalPost.objects.filter(source=source).exists()


def test_a_redirect_to_a_private_address_is_refused(fake_server, monkeypatch, settings):
    """The first hop is "public" (the test treats 127.0.0.1 so), the redirect
    goes to 127.0.0.2, which is not: the hop is refused before it connects."""
    port = fake_server.server_address[1]
    fake_server.routes["/feed.xml"] = (
        302,
        {"Location": f"http://127.0.0.2:{port}/inside.xml"},
        b"",
    )
    monkeypatch.setattr(network, "public_address", public_only_for("127.0.0.1"))
    settings.COMMUNITY_INSIGHTS_ALLOW_PRIVATE_ADDRESSES = False
    source = make_source("rss", url=f"{fake_server.url}/feed.xml")
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert "127.0.0.2" in source.last_error
    assert source.last_error.startswith("The address is refused")
    assert [request["path"] for request in fake_server.requests] == ["/feed.xml"]


def test_a_redirect_within_public_addresses_is_followed(
    fake_server, monkeypatch, settings
):
    fake_server.routes["/old.xml"] = (301, {"Location": "/feed.xml"}, b"")
    fake_server.routes["/feed.xml"] = (200, {}, FEED)
    monkeypatch.setattr(network, "public_address", public_only_for("127.0.0.1"))
    settings.COMMUNITY_INSIGHTS_ALLOW_PRIVATE_ADDRESSES = False
    source = make_source("rss", url=f"{fake_server.url}/old.xml")
    assert ingest.fetch(source)["created"] == 1


def test_endless_redirects_stop_with_a_reason(fake_server):
    fake_server.routes["/loop.xml"] = (302, {"Location": "/loop.xml"}, b"")
    source = make_source("rss", url=f"{fake_server.url}/loop.xml")
    assert not ingest.fetch(source)["ok"]
    source.refresh_from_db()
    assert source.last_error == "The server redirects too many times."
    assert len(fake_server.requests) == network.MAX_REDIRECTS + 1


def public_only_for(allowed):
    def check(host, port):
        if host != allowed:
            raise network.FetchError(f"{host} resolves to a non-public address {host}")
        return host

    return check
