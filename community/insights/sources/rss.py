"""RSS and Atom feeds: news sites, blogs, and any platform a feed bridge such
as RSSHub turns into a feed. Conditional GET (ETag, Last-Modified) spares the
publisher; RFC 5005 "next" links are followed for paginated feeds."""

import feedparser
from django.utils.translation import gettext_lazy as _

from community.insights import app_settings

from .base import (
    Connector,
    FetchResult,
    Item,
    SourceError,
    as_int,
    get,
    plain,
    same_origin,
)
from .base import parse_datetime as read_date


class RSSConnector(Connector):
    id = "rss"
    name = _("RSS or Atom feed")
    config_fields = (("url", _("Feed URL"), True),)
    help = _("Any RSS or Atom feed, e.g. a news site or an RSSHub route.")

    def fetch(self, source):
        url = source.config.get("url", "")
        headers = {"Accept": "application/rss+xml, application/atom+xml, */*;q=0.5"}
        if source.etag:
            headers["If-None-Match"] = source.etag
        if source.last_modified:
            headers["If-Modified-Since"] = source.last_modified
        response, body = get(url, headers=headers)
        if response.status_code == 304:
            return FetchResult(
                not_modified=True, etag=source.etag, last_modified=source.last_modified
            )
        result = FetchResult(
            etag=response.headers.get("ETag", "")[:255],
            last_modified=response.headers.get("Last-Modified", "")[:64],
        )
        seen = {url}
        for page in range(app_settings.FETCH_MAX_PAGES):
            feed = feedparser.parse(
                body, sanitize_html=True, resolve_relative_uris=False
            )
            if feed.bozo and not feed.entries:
                raise SourceError(
                    _("The feed could not be read: %(reason)s")
                    % {"reason": plain(str(feed.get("bozo_exception", "")), 200)}
                )
            result.items.extend(self.item(entry, feed) for entry in feed.entries)
            following = next_link(feed, url)
            if (
                not following
                or following in seen
                or page + 1 >= app_settings.FETCH_MAX_PAGES
            ):
                break
            seen.add(following)
            _response, body = get(following)
        return result

    @staticmethod
    def item(entry, feed):
        contents = entry.get("content") or []
        text = contents[0].get("value", "") if contents else entry.get("summary", "")
        author = entry.get("author_detail") or {}
        return Item(
            text=text or entry.get("title", ""),
            title=entry.get("title", ""),
            url=entry.get("link", ""),
            published_at=read_date(
                entry.get("published_parsed") or entry.get("updated_parsed")
            ),
            author_name=entry.get("author", "") or author.get("name", ""),
            author_handle=author.get("email", "") or author.get("href", ""),
            language=(entry.get("language") or feed.feed.get("language") or "")[:8],
            reach=as_int(entry.get("slash_comments")),
            external_id=str(entry.get("id", ""))[:200],
        )


def next_link(feed, url):
    """The feed's RFC 5005 next page, on the feed's own server only."""
    for link in feed.feed.get("links", []):
        href = str(link.get("href", ""))
        if link.get("rel") == "next" and same_origin(href, url):
            return href
    return None
