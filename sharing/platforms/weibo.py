"""Sina Weibo (微博)."""

from django.utils.translation import gettext_lazy as _

from ..publishers.weibo import WeiboPublisher
from .base import Platform, handle_path, query


class WeiboPlatform(Platform):
    publisher = WeiboPublisher
    id = "weibo"
    name = _("Weibo")
    color = "#E6162D"
    region = "cn"
    login_provider = "weibo"

    shares_image = True

    def share_url(self, url, title="", summary="", image=""):
        params = query(url=url, title=title, pic=image or None)
        return f"https://service.weibo.com/share/share.php?{params}"

    def follow_url(self, handle):
        return f"https://weibo.com/{handle_path(handle)}"
