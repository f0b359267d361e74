"""The WeChat official account: an access token from the app ID and secret
(cached until it expires), the cover image uploaded as permanent material,
then a draft article (draft/add) that editors send from WeChat's own
back office: WeChat's API does not let a third party mass-send for most
accounts, so a draft is as far as it allows."""

import json

from django.core.cache import caches
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext_lazy as _

from .. import app_settings
from .base import (
    MalformedResponse,
    NotConfigured,
    Publisher,
    RateLimited,
    Rejected,
    Result,
    TokenExpired,
)

#: WeChat's error codes (developers.weixin.qq.com, global return codes).
TOKEN_ERRORS = {40001, 40014, 41001, 42001}
CREDENTIAL_ERRORS = {40013, 40125, 40164, 41002, 41004}
RATE_ERRORS = {45009, 45011, 45047, 45065}
#: Renew a little before WeChat's expiry.
EXPIRY_MARGIN = 300
TITLE_LENGTH = 64
DIGEST_LENGTH = 120


class WeChatPublisher(Publisher):
    api_base = "https://api.weixin.qq.com"
    post_url = "https://mp.weixin.qq.com/"
    max_length = 20000
    link_in_text = False
    hashtag_format = "#{}"
    needs = ("client_id", "client_secret")

    def send(self, account, message):
        image = message.image_file()
        if not image:
            raise Rejected(
                _("A WeChat article needs a cover image: give the page one.")
            )
        try:
            return self.create_draft(account, message, image)
        except TokenExpired:
            # A token revoked before its time (another server fetched a new
            # one): fetch ours again, once.
            self.forget_token(account)
            return self.create_draft(account, message, image)

    def create_draft(self, account, message, image):
        token = self.access_token(account)
        material = self.call(
            "POST",
            "/cgi-bin/material/add_material",
            token,
            params={"type": "image"},
            files={"media": image},
        )
        thumb = self.remote_id(material.get("media_id"))
        paragraphs = linebreaks(escape(message.text))
        link = ""
        if message.link:
            link = f'<p><a href="{escape(message.link)}">{escape(message.link)}</a></p>'
        article = {
            "title": (message.title or message.text)[:TITLE_LENGTH],
            "author": account.label[:8],
            "digest": message.summary[:DIGEST_LENGTH],
            "content": paragraphs + link,
            "content_source_url": message.link,
            "thumb_media_id": thumb,
            "need_open_comment": 0,
            "only_fans_can_comment": 0,
        }
        # WeChat shows \\u escapes literally: send UTF-8.
        body = json.dumps({"articles": [article]}, ensure_ascii=False).encode()
        draft = self.call(
            "POST",
            "/cgi-bin/draft/add",
            token,
            data=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        remote_id = self.remote_id(draft.get("media_id"))
        return Result(remote_id, self.remote_url(remote_id, account.client_id))

    def call(self, method, path, token, params=None, **kwargs):
        params = {**(params or {}), "access_token": token}
        response = self.request(method, self.base() + path, params=params, **kwargs)
        data = self.json(response)
        self.check_errcode(data)
        self.check_status(response, data)
        return data

    def check_errcode(self, data):
        code = data.get("errcode")
        if not code:
            return
        reason = self.reason(data)
        if code in TOKEN_ERRORS:
            raise TokenExpired(
                _("WeChat refused the access token: %(reason)s") % {"reason": reason},
                detail=data,
            )
        if code in CREDENTIAL_ERRORS:
            raise NotConfigured(
                _(
                    "WeChat refused the app ID or secret, or this server's address "
                    "is not on the account's IP allowlist: %(reason)s"
                )
                % {"reason": reason},
                detail=data,
            )
        if code in RATE_ERRORS or code == -1:
            raise RateLimited(retry_after=60, detail=data)
        raise Rejected(
            _("WeChat refused the article: %(reason)s") % {"reason": reason},
            detail=data,
        )

    # The access token, cached until it expires.

    def cache_key(self, account):
        return f"sharing:publish:wechat:{self.base()}:{account.client_id}:token"

    def forget_token(self, account):
        caches[app_settings.CACHE_ALIAS].delete(self.cache_key(account))

    def access_token(self, account):
        cache = caches[app_settings.CACHE_ALIAS]
        key = self.cache_key(account)
        token = cache.get(key)
        if token:
            return token
        response = self.request(
            "GET",
            self.base() + "/cgi-bin/token",
            params={
                "grant_type": "client_credential",
                "appid": account.client_id,
                "secret": account.client_secret,
            },
        )
        data = self.json(response)
        self.check_errcode(data)
        self.check_status(response, data)
        token = data.get("access_token")
        expires_in = data.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, int):
            raise MalformedResponse(
                _("WeChat's answer has no access token."), detail=data
            )
        cache.set(key, token, max(expires_in - EXPIRY_MARGIN, 1))
        return token
