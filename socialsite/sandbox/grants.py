"""Authorization codes and access tokens of the imitation servers: signed
(nothing to store), short-lived, and a code is good for one exchange."""

import hashlib
import secrets

from django.core import signing
from django.core.cache import cache

CODE_LIFETIME = 600  # seconds: WeChat and QQ say ten minutes
TOKEN_LIFETIME = 7200


def issue_code(server, **grant):
    # A nonce: two consents in the same second give two codes, each good once.
    grant = {**grant, "jti": secrets.token_urlsafe(8)}
    return signing.dumps(grant, salt=f"socialsite.sandbox.code.{server}", compress=True)


def redeem_code(server, code):
    """The grant a code stands for, once; None for a forged, expired or used
    code."""
    try:
        grant = signing.loads(
            str(code), salt=f"socialsite.sandbox.code.{server}", max_age=CODE_LIFETIME
        )
    except signing.BadSignature:
        return None
    key = "sandbox-code:" + hashlib.sha256(str(code).encode()).hexdigest()
    if not cache.add(key, True, CODE_LIFETIME):
        return None
    return grant


def issue_token(server, **grant):
    return signing.dumps(grant, salt=f"socialsite.sandbox.token.{server}")


def read_token(server, token):
    """The grant of a valid access token, else None."""
    try:
        return signing.loads(
            str(token),
            salt=f"socialsite.sandbox.token.{server}",
            max_age=TOKEN_LIFETIME,
        )
    except signing.BadSignature:
        return None
