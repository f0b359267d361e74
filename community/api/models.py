"""API keys of apps, webhook endpoints and their deliveries.

An API key is stored as its SHA-256 digest and its first characters (to find
it); the key itself is shown once, when an editor creates it. A webhook
secret must be known in clear to sign deliveries, so it is stored encrypted
(Fernet, `community.api.credentials`), and shown once too."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.api import credentials


class ApiKey(models.Model):
    """Read-only access for one app (a mini-program, a kiosk, a partner)."""

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which app uses this key.")
    )
    lookup = models.CharField(max_length=credentials.LOOKUP_LENGTH, unique=True)
    digest = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.lookup}…)"

    def set_key(self, key):
        self.lookup = credentials.key_lookup(key)
        self.digest = credentials.key_digest(key)

    @classmethod
    def find(cls, key):
        """The active ApiKey of `key`, or None."""
        if (
            not key.startswith(credentials.KEY_PREFIX)
            or len(key) > 100
            or not (key.isascii() and key.isprintable())
        ):
            return None
        found = cls.objects.filter(
            lookup=credentials.key_lookup(key), active=True
        ).first()
        if found is None or not credentials.digests_match(key, found.digest):
            return None
        return found


class WebhookEndpoint(models.Model):
    """A URL that receives the events it chose, signed with its secret."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"), max_length=500, help_text=_("Deliveries are POSTed here as JSON.")
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    secret_encrypted = models.TextField(editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def set_secret(self, secret):
        self.secret_encrypted = credentials.encrypt(secret)

    def events_text(self):
        return ", ".join(self.events or [])

    @property
    def secret(self):
        return (
            credentials.decrypt(self.secret_encrypted)
            if self.secret_encrypted
            else None
        )


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one endpoint."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        RETRYING = "retrying", _("Failed, will retry")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(
        _("response code"), null=True, blank=True
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["endpoint", "-created_at"])]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"
