"""Fetching a file from another server without letting the URL reach inside
our own network (server-side request forgery).

A URL is fetched only when its host is on an allowlist and it uses https
(plain http only for hosts allowed it by name). Every address the host name
resolves to must be public: not private, loopback, link-local, shared,
reserved, multicast or unspecified, also when an IPv6 address carries an IPv4
one. The connection then goes to the address that was checked, with the host
name for TLS and the Host header, so a DNS answer that changes between the
check and the connection (DNS rebinding) cannot slip an internal address in.
Redirects are followed by hand, at most MAX_REDIRECTS, each new URL checked
the same way. The body is read up to a byte limit, every connect and read has
a timeout and the whole fetch a deadline.

Used for the pictures of social accounts (`fetch_picture`), whose URLs the
provider's users may choose."""

import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3

from community import app_settings

MAX_REDIRECTS = 3
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_SIZE = 64 * 1024
#: NAT64's well-known prefix carries an IPv4 address in its last 32 bits.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    """The URL was refused, or fetching it failed; the message says why."""


def host_matches(host, patterns):
    """True when `host` is one of `patterns`: a name matches itself, and a
    pattern with a leading dot (".qlogo.cn") matches that domain and every
    name under it."""
    host = (host or "").lower().rstrip(".")
    if not host:
        return False
    for pattern in patterns:
        pattern = pattern.lower().rstrip(".")
        if pattern.startswith("."):
            if host == pattern[1:] or host.endswith(pattern):
                return True
        elif host == pattern:
            return True
    return False


def checked_url(url, *, hosts, http_hosts=()):
    """`url` made safe to fetch as far as its text tells (scheme and host), or
    None. http:// URLs of hosts not in `http_hosts` are upgraded to https://
    (every provider picture host serves both); user names, passwords and
    fragments are refused or dropped."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in {"http", "https"} or parts.username or parts.password:
        return None
    if not (host_matches(host, hosts) or host_matches(host, http_hosts)):
        return None
    scheme = parts.scheme
    if scheme == "http" and not host_matches(host, http_hosts):
        scheme = "https"
        if port == 80:
            port = None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{netloc}{parts.path or '/'}{query}"


def is_public_address(address):
    """True for an address on the public internet."""
    address = ipaddress.ip_address(address)
    if address.version == 6:
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address.teredo:
            embedded = address.teredo[1]
        if embedded is not None and not is_public_address(embedded):
            return False
    return address.is_global and not address.is_multicast


def public_address(host, port):
    """The first address `host` resolves to, when all of them are public;
    FetchError otherwise (one private answer is enough to refuse)."""
    try:
        answers = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"{host} does not resolve: {error}") from error
    addresses = [answer[4][0] for answer in answers]
    if not addresses:
        raise FetchError(f"{host} does not resolve")
    for address in addresses:
        if not is_public_address(address):
            raise FetchError(f"{host} resolves to a non-public address {address}")
    return addresses[0]


def _pool(scheme, host, address, port, timeout):
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            server_hostname=host,
            assert_hostname=host,
        )
    return urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)


def _read(response, max_bytes, deadline):
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchError(f"The file is larger than {max_bytes} bytes")
    if response.headers.get("Content-Encoding", "identity").lower() != "identity":
        raise FetchError("The server sent a compressed body")
    body = bytearray()
    while True:
        if time.monotonic() > deadline:
            raise FetchError("The fetch took too long")
        chunk = response.read1(CHUNK_SIZE)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(f"The file is larger than {max_bytes} bytes")


def fetch(
    url, *, hosts, http_hosts=(), max_bytes, timeout=10, deadline=20, accept="*/*"
):
    """The body of `url` (bytes), following at most MAX_REDIRECTS redirects,
    every URL checked as the module says; FetchError when refused or failed.
    `timeout`: seconds for each connect and each read; `deadline`: seconds for
    the whole fetch."""
    ends_at = time.monotonic() + deadline
    for _hop in range(MAX_REDIRECTS + 1):
        safe = checked_url(url, hosts=hosts, http_hosts=http_hosts)
        if safe is None:
            raise FetchError(f"Not an allowed URL: {url[:200]!r}")
        parts = urlsplit(safe)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = public_address(parts.hostname, port)
        host_header = parts.netloc
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        remaining = ends_at - time.monotonic()
        if remaining <= 0:
            raise FetchError("The fetch took too long")
        pool = _pool(
            parts.scheme,
            parts.hostname,
            address,
            port,
            urllib3.Timeout(connect=min(timeout, remaining), read=timeout),
        )
        try:
            response = pool.urlopen(
                "GET",
                path,
                headers={
                    "Host": host_header,
                    "Accept": accept,
                    "Accept-Encoding": "identity",
                    "User-Agent": "Socialsite picture fetcher",
                },
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=False,
            )
            try:
                if response.status in REDIRECT_STATUSES:
                    location = response.headers.get("Location", "")
                    if not location:
                        raise FetchError("A redirect without a Location")
                    url = urljoin(safe, location)
                    continue
                if response.status != 200:
                    raise FetchError(f"The server answered {response.status}")
                return _read(response, max_bytes, ends_at)
            finally:
                response.release_conn()
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(f"Fetching {safe} failed: {error}") from error
        finally:
            pool.close()
    raise FetchError(f"More than {MAX_REDIRECTS} redirects")


def picture_url(url):
    """A social account's picture URL if its host is one the settings allow
    (https, or http for COMMUNITY_PROVIDER_PICTURE_HTTP_HOSTS), else ""."""
    return (
        checked_url(
            url,
            hosts=app_settings.PROVIDER_PICTURE_HOSTS,
            http_hosts=app_settings.PROVIDER_PICTURE_HTTP_HOSTS,
        )
        or ""
    )


def fetch_picture(url):
    """The bytes of a social account's picture, within the settings' hosts,
    COMMUNITY_AVATAR_MAX_UPLOAD_SIZE and COMMUNITY_PROVIDER_PICTURE_TIMEOUT /
    _DEADLINE; FetchError otherwise."""
    return fetch(
        url,
        hosts=app_settings.PROVIDER_PICTURE_HOSTS,
        http_hosts=app_settings.PROVIDER_PICTURE_HTTP_HOSTS,
        max_bytes=app_settings.AVATAR_MAX_UPLOAD_SIZE,
        timeout=app_settings.PROVIDER_PICTURE_TIMEOUT,
        deadline=app_settings.PROVIDER_PICTURE_DEADLINE,
        accept="image/*",
    )
