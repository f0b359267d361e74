"""Zhihu (知乎): organisation accounts live under /org/. Follow only."""

from django.utils.translation import gettext_lazy as _

from .base import Platform, handle_path


class ZhihuPlatform(Platform):
    id = "zhihu"
    name = _("Zhihu")
    color = "#0084FF"
    region = "cn"
    can_share = False

    def follow_url(self, handle):
        return f"https://www.zhihu.com/org/{handle_path(handle)}"
