"""Pinterest: a pin needs a picture, so the page's share image goes along."""

from .base import Platform, handle_path, query


class PinterestPlatform(Platform):
    id = "pinterest"
    name = "Pinterest"
    color = "#BD081C"

    shares_image = True

    def share_url(self, url, title="", summary="", image=""):
        params = query(url=url, media=image or None, description=title)
        return f"https://www.pinterest.com/pin/create/button/?{params}"

    def follow_url(self, handle):
        return f"https://www.pinterest.com/{handle_path(handle)}/"
