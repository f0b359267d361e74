"""X: API v2 POST /2/tweets with an OAuth 2 user token (scopes tweet.write,
users.read, offline.access for the refresh token)."""

import time

from .base import OAuth2Publisher, RateLimited, Result


class XPublisher(OAuth2Publisher):
    api_base = "https://api.x.com"
    post_url = "https://x.com/{user}/status/{id}"
    max_length = 280
    link_length = 23
    refresh_path = "/2/oauth2/token"
    refresh_basic_auth = True

    def send_with_token(self, account, message):
        response = self.request(
            "POST",
            f"{self.base()}/2/tweets",
            json={"text": message.text},
            headers={"Authorization": f"Bearer {account.access_token}"},
        )
        if response.status_code == 429:
            reset = response.headers.get("x-rate-limit-reset", "")
            wait = int(reset) - int(time.time()) if reset.isdigit() else None
            raise RateLimited(retry_after=max(wait, 0) if wait is not None else None)
        data = self.read(response)
        tweet = data.get("data") if isinstance(data.get("data"), dict) else {}
        remote_id = self.remote_id(tweet.get("id"))
        user = account.handle.lstrip("@") or "i/web"
        return Result(remote_id, self.remote_url(remote_id, user))
