"""Douyin (抖音): followed by scanning its QR code in the app, or its web
profile. Follow only."""

from django.utils.translation import gettext_lazy as _

from .base import Platform, handle_path


class DouyinPlatform(Platform):
    id = "douyin"
    name = _("Douyin")
    color = "#161823"
    region = "cn"
    can_share = False
    follow_by_qr = True

    def follow_url(self, handle):
        return f"https://www.douyin.com/user/{handle_path(handle)}"
