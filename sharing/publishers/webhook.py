"""A generic webhook: the post as JSON, POSTed to the account's address and
signed with HMAC-SHA256 over "<timestamp>.<body>" with the account's secret,
in the header X-Socialsite-Signature ("t=<timestamp>,v1=<hex>"). The receiver
may answer {"id": ..., "url": ...}; it should ignore a repeated
Idempotency-Key."""

import hashlib
import hmac
import json
import time

from .base import Publisher, Result

SIGNATURE_HEADER = "X-Socialsite-Signature"


def signature(secret, timestamp, body):
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret, header, body, tolerance=300, now=None):
    """Whether `header` signs `body` with `secret`, made within `tolerance`
    seconds: for receivers (and tests)."""
    fields = dict(
        part.split("=", 1) for part in (header or "").split(",") if "=" in part
    )
    timestamp = fields.get("t", "")
    if not timestamp.isdigit():
        return False
    if abs((now or time.time()) - int(timestamp)) > tolerance:
        return False
    expected = signature(secret, int(timestamp), body)
    return hmac.compare_digest(expected, header)


class WebhookPublisher(Publisher):
    needs = ("api_base", "client_secret")
    idempotent = True

    def send(self, account, message):
        body = json.dumps(
            {
                "id": message.key,
                "text": message.text,
                "title": message.title,
                "summary": message.summary,
                "link": message.link,
                "account": account.handle,
            },
            ensure_ascii=False,
        ).encode()
        timestamp = int(time.time())
        response = self.request(
            "POST",
            account.api_base,
            data=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: signature(account.client_secret, timestamp, body),
                "Idempotency-Key": message.key,
            },
        )
        if response.status_code in {200, 201, 202, 204} and not response.content:
            return Result(message.key)
        data = self.read(response)
        remote_id = str(data.get("id") or message.key)[:200]
        url = data.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            url = ""
        return Result(remote_id, url[:500])
