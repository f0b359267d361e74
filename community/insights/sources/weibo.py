"""Weibo: the open platform's search, for a company with an API key (an
access token named in COMMUNITY_INSIGHTS_API_KEYS)."""

from django.utils.translation import gettext_lazy as _

from community.insights import app_settings

from .base import (
    Connector,
    FetchResult,
    Item,
    RateLimited,
    SourceError,
    as_int,
    get_json,
)
from .base import parse_datetime as read_date

WEIBO_API = "https://api.weibo.com"
# The open platform's "out of rate limit" errors (per IP, per user, per app).
RATE_LIMIT_CODES = {10022, 10023, 10024}


class WeiboConnector(Connector):
    id = "weibo"
    name = _("Weibo")
    config_fields = (
        ("query", _("Search words"), True),
        ("key_name", _("Access token name"), True),
        ("base_url", _("Service URL"), False),
    )
    help = _(
        "Weibo's open API search; the access token lives in the settings "
        "(COMMUNITY_INSIGHTS_API_KEYS), the source names it."
    )

    def fetch(self, source):
        config = source.config
        token = app_settings.API_KEYS.get(config.get("key_name", ""), "")
        if not token:
            raise SourceError(
                _("No access token named %(name)s in COMMUNITY_INSIGHTS_API_KEYS.")
                % {"name": config.get("key_name", "")}
            )
        base = (config.get("base_url") or WEIBO_API).rstrip("/")
        result = FetchResult(cursor=source.cursor)
        params = {"q": config.get("query", ""), "count": 50, "access_token": token}
        if source.cursor:
            params["since_id"] = source.cursor
        for page in range(1, app_settings.FETCH_MAX_PAGES + 1):
            params["page"] = page
            data = get_json(f"{base}/2/search/topics.json", params=params)
            if isinstance(data, dict) and data.get("error_code") in RATE_LIMIT_CODES:
                raise RateLimited(
                    _("Weibo limits requests (error %(code)s); waiting.")
                    % {"code": data["error_code"]},
                    3600,
                )
            if isinstance(data, dict) and data.get("error_code"):
                raise SourceError(
                    _("Weibo refused the search: %(error)s")
                    % {"error": str(data.get("error", ""))[:200]}
                )
            statuses = data.get("statuses") if isinstance(data, dict) else None
            statuses = [s for s in statuses or [] if isinstance(s, dict)]
            if page == 1 and statuses:
                result.cursor = str(statuses[0].get("idstr") or statuses[0].get("id"))
            result.items.extend(self.item(status) for status in statuses)
            if len(statuses) < params["count"]:
                break
        return result

    @staticmethod
    def item(status):
        user = status.get("user") if isinstance(status.get("user"), dict) else {}
        post_id = str(status.get("idstr") or status.get("id") or "")
        user_id = str(user.get("idstr") or user.get("id") or "")
        return Item(
            text=str(status.get("text", "")),
            url=f"https://weibo.com/{user_id}/{post_id}" if user_id and post_id else "",
            published_at=read_date(status.get("created_at")),
            author_handle=f"@{user.get('screen_name')}"
            if user.get("screen_name")
            else "",
            author_name=str(user.get("name", "") or user.get("screen_name", "")),
            language="zh",
            reach=as_int(user.get("followers_count")),
            external_id=post_id[:200],
        )
