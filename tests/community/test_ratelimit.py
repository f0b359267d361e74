from django.test import RequestFactory

from community.ratelimit import client_ip


def request_from(remote, forwarded=None):
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_a_spoofed_forwarded_header_is_ignored_without_trusted_proxies(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_the_address_a_trusted_proxy_adds_is_the_client(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.2", "198.51.100.9, 192.0.2.44")
    # The visitor may prepend anything; the last entry is the trusted proxy's.
    assert client_ip(request) == "192.0.2.44"


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_peer(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("10.0.0.2", "198.51.100.9")) == "10.0.0.2"
