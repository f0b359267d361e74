"""The device's own share sheet (Web Share API); shown only where the browser
has one. Without it, the link opens the tagged page."""

from django.utils.translation import gettext_lazy as _

from .base import Platform


class NativeSharePlatform(Platform):
    id = "native"
    name = _("More…")
    color = "#3B7A5C"
    share_action = "native"
    can_follow = False

    def share_url(self, url, title="", summary="", image=""):
        return url
