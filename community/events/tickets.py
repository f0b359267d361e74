"""Tickets and invitations as signed tokens (django.core.signing, HMAC with
SECRET_KEY): unguessable without the key, and nothing secret is stored.

A ticket's token names the registration and its nonce, which changes each
time the member registers again: the token of a cancelled ticket stays
refused. The QR code of a ticket encodes the token alone."""

import io

import segno
from django.core import signing

TICKET_SALT = "community_events.ticket"
INVITATION_SALT = "community_events.invitation"


class BadToken(Exception):
    """A token that was not made by this site (forged, truncated, garbled)."""


def ticket_token(registration):
    return signing.dumps(
        {"r": registration.pk, "n": registration.ticket_nonce},
        salt=TICKET_SALT,
        compress=True,
    )


def read_ticket(token):
    """(registration id, nonce) from a ticket's token; BadToken if forged."""
    data = _load(token, TICKET_SALT)
    if not isinstance(data.get("r"), int) or not isinstance(data.get("n"), str):
        raise BadToken
    return data["r"], data["n"]


def invitation_token(invitation):
    return signing.dumps({"i": invitation.pk}, salt=INVITATION_SALT)


def read_invitation(token):
    """The invitation id of a token; BadToken if forged."""
    data = _load(token, INVITATION_SALT)
    if not isinstance(data.get("i"), int):
        raise BadToken
    return data["i"]


def _load(token, salt):
    if not isinstance(token, str) or not token or len(token) > 500 or "\x00" in token:
        raise BadToken
    try:
        data = signing.loads(token.strip(), salt=salt)
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise BadToken from error
    if not isinstance(data, dict):
        raise BadToken
    return data


def qr_svg(token):
    """The QR code of `token` as inline SVG markup."""
    return segno.make(token, error="m").svg_inline(scale=6, dark="#111", light="#fff")


def qr_png(token):
    """The QR code of `token` as PNG bytes (e-mail attachment)."""
    buffer = io.BytesIO()
    segno.make(token, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()
