"""X (formerly Twitter)."""

from ..publishers.x import XPublisher
from .base import Platform, handle_path, query


class XPlatform(Platform):
    publisher = XPublisher
    id = "x"
    name = "X"
    color = "#000000"
    login_provider = "twitter_oauth2"

    def share_url(self, url, title="", summary="", image=""):
        return f"https://x.com/intent/post?{query(text=title, url=url)}"

    def follow_url(self, handle):
        return f"https://x.com/{handle_path(handle)}"
