"""Mastodon: POST /api/v1/statuses on the account's own server, with an
idempotency key (a repeated call returns the first post instead of a second
one)."""

from .base import Publisher, Result


class MastodonPublisher(Publisher):
    max_length = 500
    link_length = 23
    needs = ("api_base", "access_token")
    idempotent = True

    def base(self, account=None):
        configured = super().base()
        if account is not None and account.api_base:
            return account.api_base.rstrip("/")
        return configured

    def send(self, account, message):
        response = self.request(
            "POST",
            f"{self.base(account)}/api/v1/statuses",
            data={"status": message.text, "visibility": "public"},
            headers={
                "Authorization": f"Bearer {account.access_token}",
                "Idempotency-Key": message.key,
            },
        )
        data = self.read(response)
        remote_id = self.remote_id(data.get("id"))
        url = data.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            url = ""
        return Result(remote_id, url[:500])
