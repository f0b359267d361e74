"""Xiaohongshu (小红书, RED): a handle is the profile id. Follow only."""

from django.utils.translation import gettext_lazy as _

from .base import Platform, handle_path


class XiaohongshuPlatform(Platform):
    id = "xiaohongshu"
    name = _("Xiaohongshu")
    color = "#FF2442"
    region = "cn"
    can_share = False

    def follow_url(self, handle):
        return f"https://www.xiaohongshu.com/user/profile/{handle_path(handle)}"
