from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "socialsite.website"
    label = "website"
    verbose_name = _("Demo company website")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from socialsite.sandbox import checks  # noqa: F401 (registers them)

        from . import navigation

        navigation.connect_signals()
