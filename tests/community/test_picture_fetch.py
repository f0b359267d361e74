"""The social-login picture is fetched without server-side request forgery:
allowed hosts only, https, public addresses only (checked again after every
redirect), a size cap and a deadline. A local server on 127.0.0.1 plays the
picture host: loopback, so refused unless a test lets 127.0.0.1 through."""

import http.server
import threading
import time
from types import SimpleNamespace

import pytest

from community import fetch
from community.adapters import provider_picture_url
from community.fetch import FetchError, checked_url, fetch_picture, is_public_address

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 200


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        server.requests.append((self.path, self.headers.get("Host")))
        route = server.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        route(self)


def send(handler, status, body=b"", headers=()):
    handler.send_response(status)
    for name, value in headers:
        handler.send_header(name, value)
    if not any(name == "Content-Length" for name, _ in headers):
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.routes = {}
    httpd.requests = []
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def picture_settings(settings):
    """127.0.0.1 is an allowed host over http: only the address check stands
    between the fetcher and the local server."""
    settings.COMMUNITY_PROVIDER_PICTURE_HOSTS = [".qlogo.cn"]
    settings.COMMUNITY_PROVIDER_PICTURE_HTTP_HOSTS = ["127.0.0.1", "10.0.0.1"]
    settings.COMMUNITY_PROVIDER_PICTURE_TIMEOUT = 2
    settings.COMMUNITY_PROVIDER_PICTURE_DEADLINE = 2
    settings.COMMUNITY_AVATAR_MAX_UPLOAD_SIZE = 1000
    return settings


@pytest.fixture
def loopback_allowed(monkeypatch):
    """For this test only: 127.0.0.1 (and nothing else private) counts as
    public."""
    original = fetch.is_public_address
    monkeypatch.setattr(
        fetch,
        "is_public_address",
        lambda address: address == "127.0.0.1" or original(address),
    )


def test_loopback_is_refused_and_never_contacted(server, picture_settings):
    server.routes["/a.png"] = lambda h: send(h, 200, PNG)
    with pytest.raises(FetchError, match="non-public address 127.0.0.1"):
        fetch_picture(f"{server.url}/a.png")
    assert server.requests == []


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # the cloud metadata service
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
    ],
)
def test_non_public_addresses(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["1.1.1.1", "183.3.226.35", "2606:4700::1111"])
def test_public_addresses(address):
    assert is_public_address(address)


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch, settings):
    settings.COMMUNITY_PROVIDER_PICTURE_HOSTS = [".qlogo.cn"]
    monkeypatch.setattr(
        fetch.socket,
        "getaddrinfo",
        lambda host, port, **kw: (
            [(2, 1, 6, "", ("8.8.8.8", port))] + [(2, 1, 6, "", ("192.168.0.5", port))]
        ),
    )
    with pytest.raises(FetchError, match="192.168.0.5"):
        fetch_picture("https://thirdwx.qlogo.cn/mmopen/x/132")


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/a.png",
        "https://qlogo.cn.evil.example/a.png",
        "https://evilqlogo.cn/a.png",
        "ftp://thirdqq.qlogo.cn/a.png",
        "file:///etc/passwd",
        "https://user:pw@thirdqq.qlogo.cn/a.png",
        "https://thirdqq.qlogo.cn:bad/a.png",
        "gopher://127.0.0.1:6379/_FLUSHALL",
    ],
)
def test_urls_off_the_allowlist_are_refused(url, settings):
    settings.COMMUNITY_PROVIDER_PICTURE_HOSTS = [".qlogo.cn"]
    with pytest.raises(FetchError, match="Not an allowed URL"):
        fetch_picture(url)


def test_http_is_upgraded_to_https_except_for_http_hosts(settings):
    settings.COMMUNITY_PROVIDER_PICTURE_HOSTS = [".qlogo.cn"]
    settings.COMMUNITY_PROVIDER_PICTURE_HTTP_HOSTS = ["legacy.example"]
    hosts = {"hosts": [".qlogo.cn"], "http_hosts": ["legacy.example"]}
    assert (
        checked_url("http://thirdqq.qlogo.cn/g?b=1#frag", **hosts)
        == "https://thirdqq.qlogo.cn/g?b=1"
    )
    assert checked_url("http://legacy.example/p.png", **hosts) == (
        "http://legacy.example/p.png"
    )


def test_success_with_the_address_check_passing(
    server, picture_settings, loopback_allowed
):
    server.routes["/a.png"] = lambda h: send(h, 200, PNG, [("Content-Type", "image")])
    assert fetch_picture(f"{server.url}/a.png") == PNG
    assert server.requests == [("/a.png", server.url.removeprefix("http://"))]


def test_the_checked_address_is_the_one_connected_to(
    server, picture_settings, loopback_allowed, monkeypatch
):
    """DNS rebinding: the name is resolved once, checked, and the connection
    goes to that address with the name in the Host header."""
    picture_settings.COMMUNITY_PROVIDER_PICTURE_HTTP_HOSTS = ["pic.test"]
    port = server.server_address[1]
    answers = iter(["127.0.0.1", "10.9.9.9"])
    real_getaddrinfo = fetch.socket.getaddrinfo
    asked = []

    def getaddrinfo(host, p, *args, **kwargs):
        asked.append(host)
        if host == "pic.test":
            return [(2, 1, 6, "", (next(answers), p))]
        return real_getaddrinfo(host, p, *args, **kwargs)

    monkeypatch.setattr(fetch.socket, "getaddrinfo", getaddrinfo)
    server.routes["/a.png"] = lambda h: send(h, 200, PNG)
    assert fetch_picture(f"http://pic.test:{port}/a.png") == PNG
    assert server.requests == [("/a.png", f"pic.test:{port}")]
    # The name was looked up once; the connection went to the checked address.
    assert asked == ["pic.test", "127.0.0.1"]


def test_a_redirect_to_an_allowed_public_host_is_followed(
    server, picture_settings, loopback_allowed
):
    server.routes["/start"] = lambda h: send(h, 302, headers=[("Location", "/a.png")])
    server.routes["/a.png"] = lambda h: send(h, 200, PNG)
    assert fetch_picture(f"{server.url}/start") == PNG


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.2:{port}/a.png",  # loopback, but not the one allowed
        "http://10.0.0.1/a.png",  # private
        "http://[::1]:{port}/a.png",
        "http://evil.example/a.png",  # off the allowlist
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_a_private_or_unknown_address_is_refused(
    server, picture_settings, loopback_allowed, location
):
    port = server.server_address[1]
    picture_settings.COMMUNITY_PROVIDER_PICTURE_HTTP_HOSTS = [
        "127.0.0.1",
        "127.0.0.2",
        "10.0.0.1",
        "::1",
    ]
    server.routes["/start"] = lambda h: send(
        h, 302, headers=[("Location", location.format(port=port))]
    )
    server.routes["/a.png"] = lambda h: send(h, 200, PNG)
    with pytest.raises(FetchError):
        fetch_picture(f"{server.url}/start")
    assert [path for path, _host in server.requests] == ["/start"]


def test_at_most_three_redirects(server, picture_settings, loopback_allowed):
    for hop in range(4):
        server.routes[f"/{hop}"] = lambda h, hop=hop: send(
            h, 302, headers=[("Location", f"/{hop + 1}")]
        )
    server.routes["/4"] = lambda h: send(h, 200, PNG)
    assert fetch_picture(f"{server.url}/1") == PNG  # 3 redirects: fine
    with pytest.raises(FetchError, match="More than 3 redirects"):
        fetch_picture(f"{server.url}/0")


def test_a_file_over_the_size_limit_is_refused(
    server, picture_settings, loopback_allowed
):
    server.routes["/declared"] = lambda h: send(h, 200, b"x" * 1001)

    def undeclared(handler):
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(b"x" * 5000)

    server.routes["/undeclared"] = undeclared
    server.routes["/exact"] = lambda h: send(h, 200, b"x" * 1000)
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetch_picture(f"{server.url}/declared")
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetch_picture(f"{server.url}/undeclared")
    assert fetch_picture(f"{server.url}/exact") == b"x" * 1000


def test_a_slow_server_runs_into_the_deadline(
    server, picture_settings, loopback_allowed
):
    """A server that drips a byte at a time never trips the read timeout;
    the deadline stops it."""

    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "900")
        handler.end_headers()
        for _ in range(900):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.01)

    server.routes["/slow"] = drip
    started = time.monotonic()
    with pytest.raises(FetchError, match="too long"):
        fetch_picture(f"{server.url}/slow")
    assert time.monotonic() - started < 4


def test_a_silent_server_runs_into_the_read_timeout(
    server, picture_settings, loopback_allowed
):
    picture_settings.COMMUNITY_PROVIDER_PICTURE_TIMEOUT = 0.5

    def silent(handler):
        time.sleep(1.5)
        send(handler, 200, PNG)

    server.routes["/silent"] = silent
    started = time.monotonic()
    with pytest.raises(FetchError, match="failed"):
        fetch_picture(f"{server.url}/silent")
    assert time.monotonic() - started < 1.4


def test_a_compressed_body_and_errors_are_refused(
    server, picture_settings, loopback_allowed
):
    server.routes["/gz"] = lambda h: send(
        h, 200, b"x" * 10, [("Content-Encoding", "gzip")]
    )
    with pytest.raises(FetchError, match="compressed"):
        fetch_picture(f"{server.url}/gz")
    with pytest.raises(FetchError, match="answered 404"):
        fetch_picture(f"{server.url}/missing")


def sociallogin(extra_data):
    account = SimpleNamespace(
        extra_data=extra_data,
        get_provider_account=lambda: SimpleNamespace(get_avatar_url=lambda: None),
    )
    return SimpleNamespace(account=account)


def test_the_adapter_keeps_only_allowed_picture_urls(settings):
    settings.COMMUNITY_PROVIDER_PICTURE_HOSTS = [".qlogo.cn", "pbs.twimg.com"]
    settings.COMMUNITY_PROVIDER_PICTURE_HTTP_HOSTS = []
    qq = {"figureurl_qq_2": "http://thirdqq.qlogo.cn/g?b=oidb&k=1&s=100"}
    assert provider_picture_url(sociallogin(qq)) == (
        "https://thirdqq.qlogo.cn/g?b=oidb&k=1&s=100"
    )
    x = {"profile_image_url": "https://pbs.twimg.com/p/a_normal.jpg"}
    assert provider_picture_url(sociallogin(x)) == x["profile_image_url"]
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:6379/",
        "https://intranet.example/a.png",
        "javascript:alert(1)",
        "https://thirdqq.qlogo.cn/" + "a" * 600,
    ):
        assert provider_picture_url(sociallogin({"picture": url})) == ""
    assert provider_picture_url(sociallogin({"picture": {"data": 1}})) == ""
