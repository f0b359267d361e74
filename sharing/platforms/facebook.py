"""Facebook."""

from .base import Platform, handle_path, query


class FacebookPlatform(Platform):
    id = "facebook"
    name = "Facebook"
    color = "#0866FF"
    login_provider = "facebook"

    def share_url(self, url, title="", summary="", image=""):
        return f"https://www.facebook.com/sharer/sharer.php?{query(u=url)}"

    def follow_url(self, handle):
        return f"https://www.facebook.com/{handle_path(handle)}"
