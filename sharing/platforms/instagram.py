"""Instagram. Follow only."""

from .base import Platform, handle_path


class InstagramPlatform(Platform):
    id = "instagram"
    name = "Instagram"
    color = "#E4405F"
    region = "global"
    can_share = False

    def follow_url(self, handle):
        return f"https://www.instagram.com/{handle_path(handle)}/"
