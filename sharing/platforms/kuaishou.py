"""Kuaishou (快手). Follow only."""

from .base import Platform, handle_path


class KuaishouPlatform(Platform):
    id = "kuaishou"
    name = "Kuaishou"
    color = "#FF4906"
    region = "cn"
    can_share = False

    def follow_url(self, handle):
        return f"https://www.kuaishou.com/profile/{handle_path(handle)}"
