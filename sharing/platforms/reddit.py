"""Reddit."""

from .base import Platform, handle_path, query


class RedditPlatform(Platform):
    id = "reddit"
    name = "Reddit"
    color = "#FF4500"
    login_provider = "reddit"

    def share_url(self, url, title="", summary="", image=""):
        return f"https://www.reddit.com/submit?{query(url=url, title=title)}"

    def follow_url(self, handle):
        return f"https://www.reddit.com/user/{handle_path(handle)}/"
