"""Weibo: statuses/share (a post that must carry a link to the app's safe
domain), with the picture when there is one."""

from django.utils.translation import gettext_lazy as _

from .base import (
    MalformedResponse,
    Publisher,
    RateLimited,
    Rejected,
    Result,
    TokenExpired,
)

#: Weibo's error codes (https://open.weibo.com/wiki/Error_code).
TOKEN_ERRORS = {21314, 21315, 21316, 21317, 21327, 21332}
RATE_ERRORS = {10022, 10023, 10024}


class WeiboPublisher(Publisher):
    api_base = "https://api.weibo.com"
    post_url = "https://weibo.com/{user}/{id}"
    max_length = 2000
    hashtag_format = "#{}#"

    def send(self, account, message):
        files = None
        image = message.image_file()
        if image:
            files = {"pic": image}
        response = self.request(
            "POST",
            f"{self.base()}/2/statuses/share.json",
            data={"access_token": account.access_token, "status": message.text},
            files=files,
        )
        data = self.json(response)
        code = data.get("error_code")
        if code is not None:
            reason = self.reason(data)
            try:
                code = int(code)
            except (TypeError, ValueError):
                code = None
            if code in TOKEN_ERRORS:
                raise TokenExpired(
                    _("Weibo refused the access token: %(reason)s")
                    % {"reason": reason},
                    detail=data,
                )
            if code in RATE_ERRORS or response.status_code == 429:
                raise RateLimited(retry_after=3600, detail=data)
            raise Rejected(
                _("Weibo refused the post: %(reason)s") % {"reason": reason},
                detail=data,
            )
        self.check_status(response, data)
        remote_id = self.remote_id(data.get("idstr") or data.get("id"))
        user = data.get("user")
        if user is not None and not isinstance(user, dict):
            raise MalformedResponse(_("Weibo's answer could not be read."), detail=data)
        uid = str((user or {}).get("idstr") or (user or {}).get("id") or "")
        return Result(remote_id, self.remote_url(remote_id, uid or account.handle))
