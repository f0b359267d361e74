"""Tumblr: a link post with the title and the summary as its caption."""

from .base import Platform, handle_path, query


class TumblrPlatform(Platform):
    id = "tumblr"
    name = "Tumblr"
    color = "#001935"
    login_provider = "tumblr_oauth2"

    def share_url(self, url, title="", summary="", image=""):
        params = query(
            canonicalUrl=url, title=title, caption=summary or None, posttype="link"
        )
        return f"https://www.tumblr.com/widgets/share/tool?{params}"

    def follow_url(self, handle):
        return f"https://www.tumblr.com/{handle_path(handle)}"
