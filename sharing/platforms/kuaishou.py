"""Kuaishou (快手). Follow only."""

from django.utils.translation import gettext_lazy as _

from .base import Platform, handle_path


class KuaishouPlatform(Platform):
    id = "kuaishou"
    name = _("Kuaishou")
    color = "#FF4906"
    region = "cn"
    can_share = False

    def follow_url(self, handle):
        return f"https://www.kuaishou.com/profile/{handle_path(handle)}"
