"""Bluesky: the public post search of the AppView
(``app.bsky.feed.searchPosts``), newest first, page by page through its
cursor, back to the previous fetch."""

from django.utils.translation import gettext_lazy as _

from community.insights import app_settings

from .base import Connector, FetchResult, Item, as_int, get_json
from .base import parse_datetime as read_date

PUBLIC_API = "https://public.api.bsky.app"


class BlueskyConnector(Connector):
    id = "bluesky"
    name = _("Bluesky")
    config_fields = (
        ("query", _("Search words"), True),
        ("service_url", _("Service URL"), False),
        ("language", _("Language"), False),
    )
    help = _("Public post search (by default through public.api.bsky.app).")

    def fetch(self, source):
        config = source.config
        base = (config.get("service_url") or PUBLIC_API).rstrip("/")
        params = {"q": config.get("query", ""), "limit": 100, "sort": "latest"}
        if config.get("language"):
            params["lang"] = config["language"]
        if source.last_ok_at:
            params["since"] = source.last_ok_at.isoformat()
        result = FetchResult()
        for _page in range(app_settings.FETCH_MAX_PAGES):
            data = get_json(f"{base}/xrpc/app.bsky.feed.searchPosts", params=params)
            if not isinstance(data, dict):
                break
            posts = [post for post in data.get("posts") or [] if isinstance(post, dict)]
            result.items.extend(self.item(post) for post in posts)
            cursor = data.get("cursor")
            if not posts or not isinstance(cursor, str) or not cursor:
                break
            params["cursor"] = cursor[:500]
        return result

    @staticmethod
    def item(post):
        record = post.get("record") if isinstance(post.get("record"), dict) else {}
        author = post.get("author") if isinstance(post.get("author"), dict) else {}
        handle = str(author.get("handle", ""))
        uri = str(post.get("uri", ""))
        url = ""
        if handle and uri.startswith("at://") and "/app.bsky.feed.post/" in uri:
            url = f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}"
        langs = record.get("langs") or []
        return Item(
            text=str(record.get("text", "")),
            url=url,
            published_at=read_date(record.get("createdAt") or post.get("indexedAt")),
            author_handle=f"@{handle}" if handle else "",
            author_name=author.get("displayName", "") or "",
            language=str(langs[0]) if isinstance(langs, list) and langs else "",
            reach=as_int(author.get("followersCount")),
            external_id=uri[:200],
        )
