"""Made-up people to sign in as. The same nickname is the same person: their
ids at each imitation are derived from it (and the site's SECRET_KEY), so a
second sign-in finds the member the first one made."""

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils.text import slugify

NICKNAME_MAX_LENGTH = 20

#: The identities offered on the consent page (anyone else may be typed in).
PRESETS = ["茶友阿明", "Lin Yu", "小雨"]

_UNWANTED = re.compile(r"[\x00-\x1f\x7f<>]")


def clean_nickname(value):
    """A typed nickname, normalised, or "" if it cannot be one."""
    value = unicodedata.normalize("NFC", str(value or "")).strip()
    if not value or len(value) > NICKNAME_MAX_LENGTH or _UNWANTED.search(value):
        return ""
    if not any(char.isalnum() for char in value):
        return ""
    return value


def digest(*parts):
    message = "\x1f".join(str(part) for part in parts).encode()
    return hmac.new(
        settings.SECRET_KEY.encode(), b"sandbox\x1f" + message, hashlib.sha256
    ).digest()


@dataclass(frozen=True)
class Identity:
    nickname: str

    @property
    def initial(self):
        return self.nickname[:1].upper()

    @property
    def colour(self):
        """One of six avatar colours (CSS classes), the same for a name."""
        return digest("colour", self.nickname)[0] % 6

    def hex_id(self, *scope, length=32):
        return digest("id", self.nickname, *scope).hex()[:length]

    def number_id(self, *scope):
        """A ten-digit number, like a Weibo uid."""
        value = int.from_bytes(digest("number", self.nickname, *scope)[:8], "big")
        return str(1_000_000_000 + value % 9_000_000_000)

    def email(self, domain):
        local = slugify(self.nickname).replace("-", ".") or "member"
        return f"{local}.{self.hex_id('email', length=6)}@{domain}"


def presets():
    return [Identity(name) for name in PRESETS]
