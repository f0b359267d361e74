"""YouTube: a handle is the channel's @name. Follow only."""

from .base import Platform, handle_path


class YouTubePlatform(Platform):
    id = "youtube"
    name = "YouTube"
    color = "#FF0000"
    region = "global"
    can_share = False

    def follow_url(self, handle):
        return f"https://www.youtube.com/@{handle_path(handle)}"
