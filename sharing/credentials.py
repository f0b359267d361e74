"""Secrets of the own-media accounts (OAuth tokens, app secrets), encrypted
at rest with Fernet (the `cryptography` library) and never shown again once
saved.

The keys come from SHARING_CREDENTIALS_KEYS (Fernet keys, newest first), else
are derived from SECRET_KEY and SECRET_KEY_FALLBACKS: values are encrypted
with the first key and decrypted with any of them (MultiFernet), so a key is
rotated by putting the new one first and running
``manage.py rotate_sharing_credentials``, which re-encrypts every value."""

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import app_settings

logger = logging.getLogger(__name__)

#: Stored values start with it, so a plaintext value is never mistaken for
#: ciphertext (and a test can tell them apart).
PREFIX = "fernet:"


def derive_key(secret):
    """A Fernet key derived from a Django secret key (SHA-256, base64)."""
    digest = hashlib.sha256(f"sharing.credentials:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def keys():
    """The Fernet keys, the one that encrypts first."""
    configured = list(app_settings.CREDENTIALS_KEYS or [])
    if configured:
        return [key.encode() if isinstance(key, str) else key for key in configured]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [derive_key(secret) for secret in secrets if secret]


def fernet():
    return MultiFernet([Fernet(key) for key in keys()])


def encrypt(value):
    if not value:
        return ""
    return PREFIX + fernet().encrypt(str(value).encode()).decode("ascii")


def decrypt(stored):
    """The plaintext of a stored value; "" when it cannot be decrypted (a
    key was removed too early), which reads as "not set"."""
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        return ""
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except (InvalidToken, ValueError):
        logger.warning("A stored credential cannot be decrypted with the keys")
        return ""


def rotate(stored):
    """`stored` re-encrypted with the first key."""
    if not stored or not stored.startswith(PREFIX):
        return stored
    token = fernet().rotate(stored[len(PREFIX) :].encode("ascii"))
    return PREFIX + token.decode("ascii")


class _Keep:
    """What a secret form field cleans to when left empty: keep the value."""

    def __repr__(self):
        return "KEEP"


KEEP = _Keep()


class SecretWidget(forms.Widget):
    """A password input that never shows the value: only whether one is set,
    and a box to remove it."""

    input_type = "password"

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs or {})
        state = _("set") if value else _("not set")
        clear = ""
        if value:
            clear = format_html(
                '<label><input type="checkbox" name="{}-clear"> {}</label>',
                name,
                _("Remove"),
            )
        return format_html(
            '<div class="sharing-secret"><p>{}: <strong>{}</strong></p>'
            '<input type="password" name="{}" id="{}" autocomplete="off" '
            'placeholder="{}">{}</div>',
            _("Current value"),
            state,
            name,
            attrs.get("id", ""),
            _("Type a new value to replace it"),
            clear,
        )

    def value_from_datadict(self, data, files, name):
        if data.get(f"{name}-clear"):
            return None
        return data.get(name, "")

    def value_omitted_from_data(self, data, files, name):
        return False


class SecretFormField(forms.CharField):
    """Cleans to KEEP when left empty, None to remove the value."""

    widget = SecretWidget

    def __init__(self, **kwargs):
        kwargs["required"] = False
        kwargs["widget"] = SecretWidget
        kwargs.pop("max_length", None)
        super().__init__(max_length=2000, **kwargs)

    def to_python(self, value):
        if value is None:
            return None
        return super().to_python(value)

    def clean(self, value):
        if value is None:
            return None
        value = super().clean(value)
        return value or KEEP

    def has_changed(self, initial, data):
        return bool(data) or data is None


class EncryptedTextField(models.Field):
    """A text column holding Fernet ciphertext; the model attribute holds the
    plaintext. In a form it is write-only (`SecretWidget`)."""

    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def to_python(self, value):
        if value is None:
            return ""
        return value

    def get_prep_value(self, value):
        return encrypt(value)

    def save_form_data(self, instance, data):
        if data is KEEP:
            return
        setattr(instance, self.name, data or "")

    def formfield(self, **kwargs):
        return SecretFormField(
            label=kwargs.get("label", self.verbose_name),
            help_text=self.help_text,
        )

    def value_to_string(self, obj):
        # Never in serialised data (dumpdata, revisions): only "set" or not.
        return ""

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, kwargs
