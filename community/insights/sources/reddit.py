"""Reddit: the public search (``search.json``), newest first, page by page
through ``after`` until the newest post of the previous fetch."""

from django.utils.translation import gettext_lazy as _

from community.insights import app_settings

from .base import Connector, FetchResult, Item, as_int, get_json
from .base import parse_datetime as read_date

REDDIT = "https://www.reddit.com"


class RedditConnector(Connector):
    id = "reddit"
    name = _("Reddit")
    config_fields = (
        ("query", _("Search words"), True),
        ("subreddit", _("Subreddit"), False),
        ("base_url", _("Service URL"), False),
    )
    help = _("Reddit's public search, optionally within one subreddit.")

    def fetch(self, source):
        config = source.config
        base = (config.get("base_url") or REDDIT).rstrip("/")
        subreddit = config.get("subreddit", "").strip().removeprefix("r/")
        path = f"/r/{subreddit}/search.json" if subreddit else "/search.json"
        params = {"q": config.get("query", ""), "sort": "new", "limit": 100}
        if subreddit:
            params["restrict_sr"] = "on"
        result = FetchResult(cursor=source.cursor)
        for page in range(app_settings.FETCH_MAX_PAGES):
            data = get_json(f"{base}{path}", params=params)
            listing = data.get("data") if isinstance(data, dict) else None
            if not isinstance(listing, dict):
                break
            children = [
                child.get("data")
                for child in listing.get("children") or []
                if isinstance(child, dict) and isinstance(child.get("data"), dict)
            ]
            if page == 0 and children:
                result.cursor = str(children[0].get("name", ""))[:255]
            reached = False
            for post in children:
                if source.cursor and post.get("name") == source.cursor:
                    reached = True
                    break
                result.items.append(self.item(post, base))
            after = listing.get("after")
            if reached or not children or not isinstance(after, str) or not after:
                break
            params["after"] = after[:100]
        return result

    @staticmethod
    def item(post, base):
        permalink = str(post.get("permalink", ""))
        author = str(post.get("author", ""))
        return Item(
            title=str(post.get("title", "")),
            text=str(post.get("selftext", "")) or str(post.get("title", "")),
            url=f"https://www.reddit.com{permalink}"
            if permalink.startswith("/")
            else "",
            published_at=read_date(post.get("created_utc")),
            author_handle=f"u/{author}" if author else "",
            author_name=author,
            reach=as_int(post.get("subreddit_subscribers")),
            external_id=str(post.get("name", ""))[:200],
        )
