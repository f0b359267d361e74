from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "community.api"
    label = "community_api"
    verbose_name = _("Community API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's idiom: what needs the models is imported once apps are ready.
        from wagtail.permissions import register_permission_policy

        from community.api import (
            checks,  # noqa: F401 (registers the checks)
            webhooks,
        )
        from community.api.models import WebhookDelivery
        from community.api.viewsets import ReadOnlyPolicy

        webhooks.connect()
        # The delivery log is the site's to write: editors only read it.
        register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery))
