"""QQ (share to a QQ friend or group)."""

from .base import Platform, query


class QQPlatform(Platform):
    id = "qq"
    name = "QQ"
    color = "#12B7F5"
    region = "cn"
    can_follow = False
    login_provider = "qq"

    shares_image = True

    def share_url(self, url, title="", summary="", image=""):
        params = query(url=url, title=title, summary=summary, pics=image or None)
        return f"https://connect.qq.com/widget/shareqq/index.html?{params}"
