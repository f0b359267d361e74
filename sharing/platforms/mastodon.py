"""Mastodon: every server has its own share intent (https://<server>/share).
The button opens a page of ours that asks for the visitor's server; the
browser remembers it (localStorage) for the next share."""

from ..publishers.mastodon import MastodonPublisher
from .base import Platform, handle_path, instance_host, query


class MastodonPlatform(Platform):
    publisher = MastodonPublisher
    id = "mastodon"
    name = "Mastodon"
    color = "#6364FF"
    share_action = "instance"
    instance_example = "mastodon.social"

    def instance_share_url(self, instance, url, title="", summary=""):
        text = f"{title} {url}" if title else url
        return f"https://{instance}/share?{query(text=text)}"

    def follow_url(self, handle):
        """`@name@server` (or `name@server`); None without a server."""
        name, _, server = str(handle).strip().lstrip("@").partition("@")
        server = instance_host(server)
        if not name or server is None:
            return None
        return f"https://{server}/@{handle_path(name)}"
