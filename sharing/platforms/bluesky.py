"""Bluesky."""

from .base import Platform, handle_path, query


class BlueskyPlatform(Platform):
    id = "bluesky"
    name = "Bluesky"
    color = "#1185FE"

    def share_url(self, url, title="", summary="", image=""):
        text = f"{title} {url}" if title else url
        return f"https://bsky.app/intent/compose?{query(text=text)}"

    def follow_url(self, handle):
        return f"https://bsky.app/profile/{handle_path(handle)}"
