"""Bilibili (哔哩哔哩): a handle is the numeric space id. Follow only."""

from django.utils.translation import gettext_lazy as _

from .base import Platform, handle_path


class BilibiliPlatform(Platform):
    id = "bilibili"
    name = _("Bilibili")
    color = "#00A1D6"
    region = "cn"
    can_share = False

    def follow_url(self, handle):
        return f"https://space.bilibili.com/{handle_path(handle)}"
