"""Qzone (QQ空间)."""

from django.utils.translation import gettext_lazy as _

from .base import Platform, handle_path, query


class QzonePlatform(Platform):
    id = "qzone"
    name = _("Qzone")
    color = "#FECE00"
    region = "cn"

    shares_image = True

    def share_url(self, url, title="", summary="", image=""):
        params = query(url=url, title=title, summary=summary, pics=image or None)
        return f"https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?{params}"

    def follow_url(self, handle):
        return f"https://user.qzone.qq.com/{handle_path(handle)}"
