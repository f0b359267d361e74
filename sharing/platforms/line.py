"""LINE (Japan, Taiwan, Thailand). An official account is followed at
line.me/R/ti/p/@<id>."""

from .base import Platform, handle_path, query


class LinePlatform(Platform):
    id = "line"
    name = "LINE"
    color = "#06C755"
    login_provider = "line"

    def share_url(self, url, title="", summary="", image=""):
        return f"https://social-plugins.line.me/lineit/share?{query(url=url)}"

    def follow_url(self, handle):
        return f"https://line.me/R/ti/p/@{handle_path(handle)}"
