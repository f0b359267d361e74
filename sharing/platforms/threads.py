"""Threads (Meta)."""

from .base import Platform, handle_path, query


class ThreadsPlatform(Platform):
    id = "threads"
    name = "Threads"
    color = "#000000"

    def share_url(self, url, title="", summary="", image=""):
        return f"https://www.threads.com/intent/post?{query(text=title, url=url)}"

    def follow_url(self, handle):
        return f"https://www.threads.com/@{handle_path(handle)}"
