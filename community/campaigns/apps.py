from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "community.campaigns"
    label = "community_campaigns"
    verbose_name = _("Campaigns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's idiom: what needs the models is imported once apps are ready.
        from community import privacy
        from community.campaigns import (
            checks,  # noqa: F401 (registers the checks)
            signals,
        )
        from community.campaigns.privacy import CampaignsData

        privacy.privacy_registry.register("campaigns", CampaignsData())
        signals.connect()
