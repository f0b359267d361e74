import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from community import ratelimit
from community.ratelimit import client_ip
from tests.factories import MemberFactory


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


# The notation (allauth's) and the counting.


def test_the_notation_is_allauths():
    assert ratelimit.parse("5/m/ip, 20/h/user,3/10m/key") == [
        ratelimit.Rate(5, 60, "ip"),
        ratelimit.Rate(20, 3600, "user"),
        ratelimit.Rate(3, 600, "key"),
    ]
    assert ratelimit.parse("") == []


@pytest.mark.parametrize("spec", ["5/m", "5 per minute", "x/m/ip", "5/w/ip", "5/m/all"])
def test_bad_rates_are_explained(spec):
    with pytest.raises(ImproperlyConfigured, match="amount/period/per"):
        ratelimit.parse(spec)


@pytest.mark.django_db
def test_limits_count_per_member_per_address_and_per_key():
    rates = {"write": "2/m/user,3/m/ip", "mail": "1/m/key"}
    member, other = MemberFactory(), MemberFactory()

    def request(user, remote="203.0.113.5"):
        request = request_from(remote)
        request.user = user
        return request

    assert ratelimit.consume(request(member), "write", rates)
    assert ratelimit.consume(request(member), "write", rates)
    # The member's third write is over their limit...
    assert not ratelimit.consume(request(member), "write", rates)
    # ...and the address has used its three as well, whoever writes from it.
    assert not ratelimit.consume(request(other), "write", rates)
    assert ratelimit.consume(request(other, "198.51.100.8"), "write", rates)
    # Anonymous visitors count by address only.
    anonymous = request(AnonymousUser(), "192.0.2.1")
    assert ratelimit.consume(anonymous, "write", rates)
    # Per key: what the caller names (e.g. an e-mail address).
    assert ratelimit.consume(anonymous, "mail", rates, key="a@example.com")
    assert not ratelimit.consume(anonymous, "mail", rates, key="a@example.com")
    assert ratelimit.consume(anonymous, "mail", rates, key="b@example.com")
    # An action without a limit is always allowed.
    assert ratelimit.consume(anonymous, "unlimited", rates)
