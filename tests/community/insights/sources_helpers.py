"""A fake HTTP server on loopback for the listening connectors' tests: each
route answers with canned (status, headers, body) or a function of the
request; a "hang" route holds the connection until the test ends."""

import http.server
import threading
from urllib.parse import parse_qs, urlsplit

import pytest

from community.insights.models import Source


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self):
        server = self.server
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = {
            "method": self.command,
            "path": parts.path,
            "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
            "headers": dict(self.headers),
            "body": body,
        }
        server.requests.append(request)
        route = server.routes.get(parts.path)
        if route is None:
            status, headers, content = 404, {}, b"not found"
        elif route == "hang":
            server.release.wait(10)
            return
        else:
            status, headers, content = route(request) if callable(route) else route
        if isinstance(content, str):
            content = content.encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = answer
    do_POST = answer


class FakeServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes = {}
        self.requests = []
        self.release = threading.Event()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def fake_server(settings):
    """A fake server on loopback, which the fetches may reach while it runs
    (private addresses are refused otherwise)."""
    settings.COMMUNITY_INSIGHTS_ALLOW_PRIVATE_ADDRESSES = True
    server = FakeServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def make_source(connector="rss", **config):
    return Source.objects.create(
        name=f"{connector} source", connector=connector, config=config
    )
