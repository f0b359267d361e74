"""TikTok. Follow only."""

from .base import Platform, handle_path


class TikTokPlatform(Platform):
    id = "tiktok"
    name = "TikTok"
    color = "#000000"
    region = "global"
    can_share = False

    def follow_url(self, handle):
        return f"https://www.tiktok.com/@{handle_path(handle)}"
