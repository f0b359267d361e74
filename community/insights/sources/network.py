"""The HTTP session of the listening fetches, which never reaches inside our
own network (server-side request forgery through an address an editor typed,
or a redirect a source sends).

Every connection the session opens — the first request and each redirect
hop — goes to an address checked at connect time by
:func:`community.fetch.public_address`: a host name that resolves to a
private, loopback, link-local, shared, reserved or multicast address is
refused, and the connection goes to the very address that was checked, so a
DNS answer that changes in between (DNS rebinding) cannot slip one in.

COMMUNITY_INSIGHTS_ALLOW_PRIVATE_ADDRESSES turns the check off (tests with
fake servers on loopback); COMMUNITY_INSIGHTS_FETCH_SESSION names a function
returning the session, e.g. one that answers some addresses in the process
(the demo's sandbox), built on :func:`new_session`.
"""

import requests
from django.utils.module_loading import import_string
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from community.fetch import FetchError, public_address
from community.insights import app_settings

MAX_REDIRECTS = 5


class AddressRefused(FetchError):
    """The host of a fetch (or of a redirect) is not on the public internet."""


def checked_address(host, port):
    """The address to connect to for `host`: itself when private addresses
    are allowed, else its first address once all of them are public."""
    if app_settings.ALLOW_PRIVATE_ADDRESSES:
        return host
    try:
        return public_address(host, port)
    except FetchError as error:
        raise AddressRefused(str(error)) from error


class PublicHTTPConnection(HTTPConnection):
    def _new_conn(self):
        self._dns_host = checked_address(self.host, self.port)
        return super()._new_conn()


class PublicHTTPSConnection(HTTPSConnection):
    # TLS still checks the certificate against the host name (self.host).
    def _new_conn(self):
        self._dns_host = checked_address(self.host, self.port)
        return super()._new_conn()


class PublicHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = PublicHTTPConnection


class PublicHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = PublicHTTPSConnection


class PublicAddressAdapter(HTTPAdapter):
    """A requests adapter whose connections go to public addresses only."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": PublicHTTPConnectionPool,
            "https": PublicHTTPSConnectionPool,
        }


def new_session():
    """A requests session whose http(s) connections are checked. Proxies of
    the environment are ignored: the check must see the real destination."""
    session = requests.Session()
    session.trust_env = False
    session.max_redirects = MAX_REDIRECTS
    session.mount("http://", PublicAddressAdapter())
    session.mount("https://", PublicAddressAdapter())
    return session


def session():
    """The session named by COMMUNITY_INSIGHTS_FETCH_SESSION."""
    return import_string(app_settings.FETCH_SESSION)()
