"""WeChat's JS-SDK signature, against the published example and a fake WeChat
API served on loopback (up, down, answering with an error code)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from sharing.models import SharingSettings
from sharing.wechat import WeChatClient, signature

WECHAT_UA = "Mozilla/5.0 (Linux; Android 14) Mobile MicroMessenger/8.0.49"


def test_signature_matches_wechats_published_example():
    # From WeChat's JS-SDK documentation, appendix 1 (签名算法).
    assert (
        signature(
            "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-"
            "HhTdfl2fzFy1AOcHKP7qg",
            "Wm3WZYTPz0wzccnW",
            1414587457,
            "http://mp.weixin.qq.com",
        )
        == "f4d90daf4b3bca3078ab155816175ba34c443a7b"
    )


def test_signature_ignores_the_fragment_and_hand_computed_case():
    import hashlib

    raw = "jsapi_ticket=T&noncestr=N&timestamp=1&url=https://a.example/p?x=1&y=中"
    expected = hashlib.sha1(raw.encode()).hexdigest()  # noqa: S324
    assert signature("T", "N", 1, "https://a.example/p?x=1&y=中#top") == expected


class FakeWeChat:
    """WeChat's token and ticket endpoints on 127.0.0.1."""

    def __init__(self):
        self.mode = "ok"
        self.calls = []
        self.delay = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                fake.calls.append((parts.path, params))
                time.sleep(fake.delay)
                if fake.mode == "errcode":
                    body = {"errcode": 40013, "errmsg": "invalid appid"}
                elif parts.path == "/cgi-bin/token":
                    assert params["grant_type"] == "client_credential"
                    body = {
                        "access_token": f"TOKEN-{params['appid']}",
                        "expires_in": 7200,
                    }
                elif parts.path == "/cgi-bin/ticket/getticket":
                    assert params["type"] == "jsapi"
                    body = {
                        "errcode": 0,
                        "errmsg": "ok",
                        "ticket": f"TICKET-for-{params['access_token']}",
                        "expires_in": 7200,
                    }
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_wechat(settings):
    fake = FakeWeChat()
    settings.SHARING_WECHAT_API_BASE = fake.base
    yield fake
    fake.close()


@pytest.fixture
def wechat_site(share_site):
    settings = SharingSettings.for_site(share_site)
    settings.wechat_app_id = "wxAPP"
    settings.wechat_app_secret = "secret"
    settings.save()
    return share_site


def test_token_and_ticket_are_fetched_once_and_cached(fake_wechat):
    client = WeChatClient("wxAPP", "secret")
    config = client.js_config("http://sharing.test/en/p/")
    assert config["appId"] == "wxAPP"
    assert config["signature"] == signature(
        "TICKET-for-TOKEN-wxAPP",
        config["nonceStr"],
        config["timestamp"],
        "http://sharing.test/en/p/",
    )
    assert [path for path, _ in fake_wechat.calls] == [
        "/cgi-bin/token",
        "/cgi-bin/ticket/getticket",
    ]
    assert fake_wechat.calls[0][1]["secret"] == "secret"
    # Another worker (a new client, same cache) does not call WeChat again.
    for _ in range(3):
        assert WeChatClient("wxAPP", "secret").js_config("http://sharing.test/x/")
    assert len(fake_wechat.calls) == 2


def test_one_worker_refreshes_while_the_others_wait(fake_wechat):
    fake_wechat.delay = 0.3
    results = []
    barrier = threading.Barrier(6)

    def worker():
        barrier.wait()
        results.append(WeChatClient("wxAPP", "secret").jsapi_ticket())

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["TICKET-for-TOKEN-wxAPP"] * 6
    assert len(fake_wechat.calls) == 2


def test_config_endpoint(browser_client, shared_page, wechat_site, fake_wechat):
    url = f"http://sharing.test/en/{shared_page.slug}/"
    response = browser_client.get("/en/share/wechat/config/", {"url": url})
    assert response.status_code == 200
    config = response.json()
    assert set(config) == {"appId", "timestamp", "nonceStr", "signature"}
    assert config["signature"] == signature(
        "TICKET-for-TOKEN-wxAPP", config["nonceStr"], config["timestamp"], url
    )
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/",
        "javascript:alert(1)",
        "",
        "//sharing.test/x",
        "x" * 3000,
    ],
)
def test_config_endpoint_signs_only_this_sites_pages(
    browser_client, wechat_site, fake_wechat, url
):
    response = browser_client.get("/en/share/wechat/config/", {"url": url})
    assert response.status_code == 400
    assert fake_wechat.calls == []


def test_config_endpoint_without_an_official_account_is_a_404(
    browser_client, share_site
):
    response = browser_client.get(
        "/en/share/wechat/config/", {"url": "http://sharing.test/en/"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("mode", ["down", "errcode"])
def test_wechat_down_or_refusing(
    browser_client, shared_page, wechat_site, fake_wechat, settings, mode
):
    if mode == "down":
        fake_wechat.close()  # nothing listens on that port any more
        settings.SHARING_WECHAT_TIMEOUT = 1
    else:
        fake_wechat.mode = "errcode"
    url = f"http://sharing.test/en/{shared_page.slug}/"
    response = browser_client.get("/en/share/wechat/config/", {"url": url})
    assert response.status_code == 503
    assert response.json() == {"error": "WeChat is unavailable"}
    # The page still renders inside WeChat, with its buttons and the hint...
    page = browser_client.get(f"/en/{shared_page.slug}/", HTTP_USER_AGENT=WECHAT_UA)
    assert page.status_code == 200
    assert "tap ··· at the top right" in page.content.decode()
    # ...and still shares.
    share = browser_client.get(f"/en/share/weibo/page/{shared_page.pk}/")
    assert share.status_code == 302
    if mode == "errcode":
        # Errors are not cached: the next request asks WeChat again.
        fake_wechat.mode = "ok"
        response = browser_client.get("/en/share/wechat/config/", {"url": url})
        assert response.status_code == 200
