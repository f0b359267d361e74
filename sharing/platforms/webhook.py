"""A generic webhook: publishing only (no share button, no profile link), to
an address of the company's own (its app's backend, a CRM, a mini-program
server), signed with HMAC (`sharing.publishers.webhook`)."""

from django.utils.translation import gettext_lazy as _

from ..publishers.webhook import WebhookPublisher
from .base import Platform


class WebhookPlatform(Platform):
    id = "webhook"
    name = _("Webhook")
    color = "#4B5563"
    can_share = False
    can_follow = False
    publisher = WebhookPublisher
