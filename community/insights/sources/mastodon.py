"""Mastodon (and other Mastodon-API servers): the public timeline of a
hashtag, or a search, on a chosen instance. Newer posts since the last fetch
are read page by page through the Link header."""

import json
import re
from urllib.parse import quote, urlsplit

from django.utils.translation import gettext_lazy as _

from community.insights import app_settings

from .base import (
    Connector,
    FetchResult,
    Item,
    SourceError,
    as_int,
    get,
    get_json,
    same_origin,
)
from .base import parse_datetime as read_date

NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class MastodonConnector(Connector):
    id = "mastodon"
    name = _("Mastodon")
    config_fields = (
        ("instance_url", _("Instance URL"), True),
        ("hashtag", _("Hashtag"), False),
        ("query", _("Search words"), False),
        ("key_name", _("Access token name"), False),
    )
    help = _(
        "A hashtag's public timeline or a search on one instance "
        "(searching posts needs an access token on most instances)."
    )

    def validate_config(self, config):
        problems = super().validate_config(config)
        if not (config.get("hashtag") or config.get("query")):
            problems.append(_("Give a hashtag or search words."))
        return problems

    def fetch(self, source):
        config = source.config
        base = config.get("instance_url", "").rstrip("/")
        headers = {}
        token = app_settings.API_KEYS.get(config.get("key_name", ""), "")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        host = urlsplit(base).hostname or ""
        result = FetchResult(cursor=source.cursor)
        if config.get("hashtag"):
            tag = config["hashtag"].lstrip("#").strip()
            url = f"{base}/api/v1/timelines/tag/{quote(tag, safe='')}"
            params = {"limit": 40}
            if source.cursor:
                params["since_id"] = source.cursor
            newest = None
            for _page in range(app_settings.FETCH_MAX_PAGES):
                response, body = get(url, params=params, headers=headers)
                statuses = decode(body)
                if statuses and newest is None:
                    newest = str(statuses[0].get("id", ""))[:255]
                    result.cursor = newest
                fresh = [s for s in statuses if newer(s.get("id"), source.cursor)]
                result.items.extend(self.item(status, host) for status in fresh)
                match = NEXT.search(response.headers.get("Link", ""))
                if len(fresh) < len(statuses) or not statuses or not match:
                    break
                if not same_origin(match.group(1), base):
                    break
                url, params = match.group(1), None
        if config.get("query"):
            data = get_json(
                f"{base}/api/v2/search",
                params={"q": config["query"], "type": "statuses", "limit": 40},
                headers=headers,
            )
            statuses = data.get("statuses", []) if isinstance(data, dict) else []
            result.items.extend(
                self.item(status, host)
                for status in statuses
                if isinstance(status, dict)
            )
        return result

    @staticmethod
    def item(status, host):
        account = status.get("account") or {}
        acct = str(account.get("acct", ""))
        if acct and "@" not in acct and host:
            acct = f"{acct}@{host}"
        return Item(
            text=status.get("content", "") or status.get("spoiler_text", ""),
            url=status.get("url") or status.get("uri") or "",
            published_at=read_date(status.get("created_at")),
            author_handle=f"@{acct}" if acct else "",
            author_name=account.get("display_name", "") or account.get("username", ""),
            language=status.get("language") or "",
            reach=as_int(account.get("followers_count")),
            external_id=str(status.get("id", "")),
        )


def newer(status_id, cursor):
    """True when `status_id` comes after the `cursor` of the last fetch
    (Mastodon ids are numbers that grow with time)."""
    status_id = str(status_id or "")
    if not cursor or not (status_id.isdigit() and cursor.isdigit()):
        return True
    return int(status_id) > int(cursor)


def decode(body):
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise SourceError(_("The answer is not valid JSON.")) from error
    if not isinstance(data, list):
        raise SourceError(_("The answer is not a list of posts."))
    return [status for status in data if isinstance(status, dict)]
