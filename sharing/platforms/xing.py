"""XING (German-speaking professional network); companies have pages there."""

from .base import Platform, handle_path, query


class XingPlatform(Platform):
    id = "xing"
    name = "XING"
    color = "#006567"
    login_provider = "xing"

    def share_url(self, url, title="", summary="", image=""):
        return f"https://www.xing.com/spi/shares/new?{query(url=url)}"

    def follow_url(self, handle):
        return f"https://www.xing.com/pages/{handle_path(handle)}"
