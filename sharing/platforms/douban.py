"""Douban (豆瓣)."""

from django.utils.translation import gettext_lazy as _

from .base import Platform, handle_path, query


class DoubanPlatform(Platform):
    id = "douban"
    name = _("Douban")
    color = "#2E963D"
    region = "cn"

    shares_image = True

    def share_url(self, url, title="", summary="", image=""):
        params = query(href=url, name=title, text=summary, image=image or None)
        return f"https://www.douban.com/share/service?{params}"

    def follow_url(self, handle):
        return f"https://www.douban.com/people/{handle_path(handle)}/"
