from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "community.insights"
    label = "community_insights"
    verbose_name = _("Community insights")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's idiom: what needs the models is imported once apps are ready.
        from community.insights import (
            checks,  # noqa: F401 (registers the checks)
            signals,
        )

        signals.connect()
