"""Imitations of the platforms' publishing APIs on 127.0.0.1 (a threaded
HTTP server on a free port), for the publishers' tests: Weibo, WeChat, X,
LinkedIn, Mastodon, Telegram and a webhook receiver.

Each platform answers according to `server.modes[platform]`:
"ok", "rate_limit", "malformed", "timeout" (answers after `delay` seconds)
or "server_error". Tokens are checked: a token not in `server.tokens` gets
the platform's own "expired token" answer, and X's and LinkedIn's token
endpoints swap a refresh token in `server.refresh_tokens` for a new access
token. Every post that went through is kept in `server.posts`."""

import email.parser
import email.policy
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from sharing.publishers.webhook import SIGNATURE_HEADER, verify

WEBHOOK_SECRET = "hook-secret"  # noqa: S105 (a test value)


class FakePlatforms:
    def __init__(self):
        self.modes = {}
        self.tokens = set()
        self.refresh_tokens = set()
        self.wechat_apps = {}
        self.posts = []
        self.requests = []
        self.delay = 1.0
        self.ids = itertools.count(1001)
        self.idempotency = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def mode(self, platform):
        return self.modes.get(platform, "ok")

    def next_id(self):
        with self.lock:
            return next(self.ids)

    def handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.route("GET")

            def do_POST(self):
                self.route("POST")

            def route(self, method):
                parts = urlsplit(self.path)
                self.query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                self.body = self.rfile.read(length) if length else b""
                fake.requests.append((method, parts.path, dict(self.headers)))
                handler = ROUTES.get(parts.path)
                if handler is None and parts.path.startswith("/bot"):
                    handler = telegram
                if handler is None:
                    return self.answer(404, {"error": "not found"})
                handler(fake, self, parts.path)

            def form(self):
                kind = self.headers.get("Content-Type", "")
                if kind.startswith("multipart/form-data"):
                    message = email.parser.BytesParser(
                        policy=email.policy.HTTP
                    ).parsebytes(
                        b"Content-Type: " + kind.encode() + b"\r\n\r\n" + self.body
                    )
                    fields = {}
                    for part in message.iter_parts():
                        name = part.get_param("name", header="content-disposition")
                        payload = part.get_payload(decode=True)
                        if part.get_filename():
                            fields[name] = payload
                        else:
                            fields[name] = payload.decode()
                    return fields
                if kind.startswith("application/json"):
                    return json.loads(self.body or b"{}")
                return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

            def bearer(self):
                value = self.headers.get("Authorization", "")
                return value[7:] if value.startswith("Bearer ") else ""

            def answer(self, status, data, headers=None, raw=None):
                body = raw if raw is not None else json.dumps(data).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def common(self, platform, rate_limited):
                """Answer the modes every platform shares; True when done."""
                mode = fake.mode(platform)
                if mode == "timeout":
                    time.sleep(fake.delay)
                    self.answer(200, {})
                    return True
                if mode == "malformed":
                    self.answer(200, None, raw=b"<html>Gateway</html>")
                    return True
                if mode == "server_error":
                    self.answer(502, None, raw=b"Bad gateway")
                    return True
                if mode == "rate_limit":
                    rate_limited()
                    return True
                return False

        return Handler


def weibo(fake, handler, path):
    def limited():
        handler.answer(
            403,
            {"error": "User requests out of rate limit!", "error_code": 10023},
        )

    if handler.common("weibo", limited):
        return
    form = handler.form()
    if form.get("access_token") not in fake.tokens:
        return handler.answer(
            403, {"error": "expired_token", "error_code": 21327, "request": path}
        )
    post_id = fake.next_id()
    fake.posts.append(("weibo", form))
    handler.answer(
        200,
        {
            "id": post_id,
            "idstr": str(post_id),
            "text": form.get("status"),
            "user": {"id": 5000001, "idstr": "5000001"},
        },
    )


def wechat_token(fake, handler, path):
    app = handler.query.get("appid")
    if fake.wechat_apps.get(app) != handler.query.get("secret"):
        return handler.answer(200, {"errcode": 40125, "errmsg": "invalid appsecret"})
    token = f"wx-token-{fake.next_id()}"
    fake.tokens.add(token)
    fake.posts.append(("wechat-token", {"appid": app}))
    handler.answer(200, {"access_token": token, "expires_in": 7200})


def wechat_check(fake, handler):
    def limited():
        handler.answer(200, {"errcode": 45009, "errmsg": "reach max api daily quota"})

    if handler.common("wechat", limited):
        return False
    if handler.query.get("access_token") not in fake.tokens:
        handler.answer(200, {"errcode": 42001, "errmsg": "access_token expired rid: 1"})
        return False
    return True


def wechat_material(fake, handler, path):
    if not wechat_check(fake, handler):
        return
    form = handler.form()
    if not form.get("media"):
        return handler.answer(200, {"errcode": 41005, "errmsg": "media data missing"})
    media_id = f"thumb-{fake.next_id()}"
    fake.posts.append(("wechat-material", {"size": len(form["media"])}))
    handler.answer(200, {"media_id": media_id, "url": "http://mmbiz.qpic.cn/x"})


def wechat_draft(fake, handler, path):
    if not wechat_check(fake, handler):
        return
    data = json.loads(handler.body.decode("utf-8"))
    article = data["articles"][0]
    if not article.get("thumb_media_id", "").startswith("thumb-"):
        return handler.answer(200, {"errcode": 40007, "errmsg": "invalid media_id"})
    fake.posts.append(("wechat", article))
    handler.answer(200, {"media_id": f"draft-{fake.next_id()}"})


def x_tweets(fake, handler, path):
    def limited():
        reset = int(time.time()) + 900
        handler.answer(
            429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(reset)}
        )

    if handler.common("x", limited):
        return
    if handler.bearer() not in fake.tokens:
        return handler.answer(401, {"title": "Unauthorized", "status": 401})
    data = handler.form()
    if len(data.get("text", "")) > 400:
        return handler.answer(403, {"detail": "Text too long", "status": 403})
    post_id = str(fake.next_id())
    fake.posts.append(("x", data))
    handler.answer(201, {"data": {"id": post_id, "text": data["text"]}})


def refresh(fake, handler, path):
    form = handler.form()
    if form.get("refresh_token") not in fake.refresh_tokens:
        return handler.answer(400, {"error": "invalid_grant"})
    fake.refresh_tokens.discard(form["refresh_token"])
    token, new_refresh = f"at-{fake.next_id()}", f"rt-{fake.next_id()}"
    fake.tokens.add(token)
    fake.refresh_tokens.add(new_refresh)
    handler.answer(
        200,
        {
            "access_token": token,
            "refresh_token": new_refresh,
            "expires_in": 7200,
            "token_type": "bearer",
        },
    )


def linkedin_posts(fake, handler, path):
    def limited():
        handler.answer(429, {"message": "Throttled"}, {"Retry-After": "120"})

    if handler.common("linkedin", limited):
        return
    if handler.bearer() not in fake.tokens:
        return handler.answer(401, {"message": "Expired token", "status": 401})
    data = handler.form()
    urn = f"urn:li:share:{fake.next_id()}"
    fake.posts.append(("linkedin", data))
    handler.answer(201, None, {"x-restli-id": urn}, raw=b"")


def mastodon(fake, handler, path):
    def limited():
        handler.answer(429, {"error": "Too many requests"}, {"Retry-After": "300"})

    if handler.common("mastodon", limited):
        return
    if handler.bearer() not in fake.tokens:
        return handler.answer(401, {"error": "The access token is invalid"})
    key = handler.headers.get("Idempotency-Key")
    if key and key in fake.idempotency:
        return handler.answer(200, fake.idempotency[key])
    form = handler.form()
    post_id = str(fake.next_id())
    status = {"id": post_id, "url": f"{fake.url}/@cloudmist/{post_id}"}
    fake.posts.append(("mastodon", form))
    if key:
        fake.idempotency[key] = status
    handler.answer(200, status)


def telegram(fake, handler, path):
    def limited():
        handler.answer(
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7},
            },
        )

    if handler.common("telegram", limited):
        return
    token, _, method = path[len("/bot") :].partition("/")
    if token not in fake.tokens:
        return handler.answer(
            401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        )
    form = handler.form()
    message_id = fake.next_id()
    fake.posts.append(("telegram", {"method": method, **form}))
    handler.answer(
        200,
        {
            "ok": True,
            "result": {
                "message_id": message_id,
                "chat": {"id": -100123, "type": "channel", "username": "cloudmist"},
            },
        },
    )


def webhook(fake, handler, path):
    def limited():
        handler.answer(429, {"error": "slow down"}, {"Retry-After": "30"})

    if handler.common("webhook", limited):
        return
    if not verify(WEBHOOK_SECRET, handler.headers.get(SIGNATURE_HEADER), handler.body):
        return handler.answer(401, {"error": "bad signature"})
    data = json.loads(handler.body)
    fake.posts.append(("webhook", data))
    handler.answer(200, {"id": f"hook-{data['id']}", "url": f"{fake.url}/hook/1"})


ROUTES = {
    "/2/statuses/share.json": weibo,
    "/cgi-bin/token": wechat_token,
    "/cgi-bin/material/add_material": wechat_material,
    "/cgi-bin/draft/add": wechat_draft,
    "/2/tweets": x_tweets,
    "/2/oauth2/token": refresh,
    "/rest/posts": linkedin_posts,
    "/oauth/v2/accessToken": refresh,
    "/api/v1/statuses": mastodon,
    "/hook": webhook,
}
