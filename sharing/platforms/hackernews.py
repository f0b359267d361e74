"""Hacker News: submit the page as a link. Nobody follows a company there."""

from .base import Platform, query


class HackerNewsPlatform(Platform):
    id = "hackernews"
    name = "Hacker News"
    color = "#FF6600"
    can_follow = False

    def share_url(self, url, title="", summary="", image=""):
        return f"https://news.ycombinator.com/submitlink?{query(u=url, t=title)}"
