"""Secrets of the API app: API keys (only their SHA-256 is stored, shown once)
and webhook secrets (needed in clear to sign, so encrypted at rest with
cryptography's Fernet, keyed from COMMUNITY_API_SECRET_KEYS)."""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from community.api import app_settings

KEY_PREFIX = "ssk_"
#: Characters of a key kept in clear to find it (and to tell keys apart).
LOOKUP_LENGTH = 12


def new_api_key():
    """A new API key as the app will send it: "ssk_" and 40 random
    characters."""
    return KEY_PREFIX + secrets.token_urlsafe(30)


def key_lookup(key):
    return key[:LOOKUP_LENGTH]


def key_digest(key):
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def digests_match(key, digest):
    return hmac.compare_digest(key_digest(key), digest)


def new_webhook_secret():
    return "whsec_" + secrets.token_urlsafe(32)


def _fernet():
    keys = []
    for material in app_settings.SECRET_KEYS:
        raw = hashlib.sha256(f"community_api.webhooks:{material}".encode()).digest()
        keys.append(Fernet(base64.urlsafe_b64encode(raw)))
    return MultiFernet(keys)


def encrypt(text):
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token):
    """The clear text of `token`, or None when no current key opens it."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def sign(secret, timestamp, body):
    """The signature of a webhook delivery: HMAC-SHA256 over
    "<timestamp>.<body>" with the endpoint's secret, in hex."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
