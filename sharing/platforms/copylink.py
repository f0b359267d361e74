"""Copy link: without JavaScript the button opens the tagged link itself."""

from django.utils.translation import gettext_lazy as _

from .base import Platform


class CopyLinkPlatform(Platform):
    id = "copy"
    name = _("Copy link")
    color = "#1F4D3A"
    share_action = "copy"
    can_follow = False

    def share_url(self, url, title="", summary="", image=""):
        return url
