"""Instapaper: save the page to read later. (A read-later service in Pocket's
place: Mozilla closed Pocket on 8 July 2025.)"""

from .base import Platform, query


class InstapaperPlatform(Platform):
    id = "instapaper"
    name = "Instapaper"
    color = "#1F1F1F"
    can_follow = False

    def share_url(self, url, title="", summary="", image=""):
        params = query(url=url, title=title, description=summary or None)
        return f"https://www.instapaper.com/hello2?{params}"
