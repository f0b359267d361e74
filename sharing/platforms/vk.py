"""VK (ВКонтакте)."""

from .base import Platform, handle_path, query


class VKPlatform(Platform):
    id = "vk"
    name = "VK"
    color = "#0077FF"
    login_provider = "vk"

    def share_url(self, url, title="", summary="", image=""):
        return f"https://vk.com/share.php?{query(url=url, title=title)}"

    def follow_url(self, handle):
        return f"https://vk.com/{handle_path(handle)}"
