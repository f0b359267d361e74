"""WeChat's JS-SDK: the server side of `wx.config`.

Inside WeChat's browser a page can set the card WeChat shows when it is shared
(`updateAppMessageShareData` / `updateTimelineShareData`), once `wx.config` was
given a signature: SHA1 over the jsapi_ticket, a nonce, a timestamp and the
page URL. The ticket comes from WeChat's API with an access token; both live
7200 s and WeChat limits how often they may be fetched, so they are cached in
the shared cache and only one worker refreshes them at a time (a cache lock).
When WeChat's API is down or answers with an error code, there is no
signature and the page shares without the custom card."""

import hashlib
import json
import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request

from django.core.cache import caches

from . import app_settings, pagecache

logger = logging.getLogger(__name__)

#: Renew a little before WeChat's expiry.
EXPIRY_MARGIN = 300
LOCK_SECONDS = 10


class WeChatError(Exception):
    """WeChat's API could not be reached or refused the request."""


def signature(jsapi_ticket, noncestr, timestamp, url):
    """The JS-SDK signature, as WeChat's documentation defines it: the four
    fields sorted by name, joined as a query string (raw values), SHA1 hex."""
    url = url.split("#", 1)[0]
    raw = (
        f"jsapi_ticket={jsapi_ticket}&noncestr={noncestr}"
        f"&timestamp={timestamp}&url={url}"
    )
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()  # noqa: S324 (WeChat's choice)


class WeChatClient:
    def __init__(self, app_id, app_secret):
        self.app_id = app_id
        self.app_secret = app_secret
        self.cache = caches[app_settings.CACHE_ALIAS]

    def _call(self, path, **params):
        url = (
            app_settings.WECHAT_API_BASE.rstrip("/")
            + path
            + "?"
            + urllib.parse.urlencode(params)
        )
        if not url.startswith(("https://", "http://")):
            raise WeChatError("SHARING_WECHAT_API_BASE must be an http(s) URL")
        try:
            with urllib.request.urlopen(  # noqa: S310 (scheme checked above)
                url, timeout=app_settings.WECHAT_TIMEOUT
            ) as response:
                data = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError, urllib.error.URLError) as error:
            raise WeChatError(f"WeChat API unreachable: {error}") from error
        if not isinstance(data, dict) or data.get("errcode"):
            raise WeChatError(f"WeChat API error: {data!r}")
        return data

    def _cached(self, name, fetch):
        """A value from the cache, or fetched by one worker while the others
        wait for it (for at most LOCK_SECONDS)."""
        key = f"sharing:wechat:{self.app_id}:{name}"
        value = self.cache.get(key)
        if value:
            return value
        lock = f"{key}:lock"
        if self.cache.add(lock, "1", LOCK_SECONDS):
            try:
                value, expires_in = fetch()
                timeout = max(int(expires_in) - EXPIRY_MARGIN, 60)
                self.cache.set(key, value, timeout)
                return value
            finally:
                self.cache.delete(lock)
        deadline = time.monotonic() + LOCK_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            value = self.cache.get(key)
            if value:
                return value
            if self.cache.get(lock) is None:
                break
        raise WeChatError(f"Timed out waiting for another worker's {name}")

    def access_token(self):
        def fetch():
            data = self._call(
                "/cgi-bin/token",
                grant_type="client_credential",
                appid=self.app_id,
                secret=self.app_secret,
            )
            return data["access_token"], data.get("expires_in", 7200)

        return self._cached("access_token", fetch)

    def jsapi_ticket(self):
        def fetch():
            data = self._call(
                "/cgi-bin/ticket/getticket",
                access_token=self.access_token(),
                type="jsapi",
            )
            return data["ticket"], data.get("expires_in", 7200)

        return self._cached("jsapi_ticket", fetch)

    def js_config(self, url):
        """The arguments of `wx.config` for a page at `url`, or None when
        WeChat's API cannot give a ticket now."""
        try:
            ticket = self.jsapi_ticket()
        except (WeChatError, KeyError) as error:
            logger.warning("No WeChat JS-SDK signature: %s", error)
            return None
        noncestr = secrets.token_urlsafe(12)
        timestamp = int(time.time())
        return {
            "appId": self.app_id,
            "timestamp": timestamp,
            "nonceStr": noncestr,
            "signature": signature(ticket, noncestr, timestamp, url),
        }


def in_wechat(request):
    """True in WeChat's own browser (a page that asks differs by User-Agent:
    the page cache keeps a WeChat copy of it, SHARING_PAGE_CACHE_VARIANTS)."""
    pagecache.vary_on(request, "User-Agent")
    return "micromessenger" in request.headers.get("User-Agent", "").lower()
