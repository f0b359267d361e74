"""Imitation sources of listening beyond the site, under
/sandbox-oauth/listen/: a tea news feed (RSS) and a Mastodon instance whose
#tea timeline talks about the demo brand Cloudmist (云雾茶), its products
and its competitor Jade Leaf (玉叶), in English and Chinese, good and bad.
The demo's listening sources point here while the sandbox is on, so an
editor sees external mentions in the listening report without the internet.

The fetches reach them through the sandbox's in-process transport
(`session`, named by COMMUNITY_INSIGHTS_FETCH_SESSION in settings/dev.py);
every other address goes through the listening's own checked session."""

import datetime

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.http import require_GET

from community.insights.sources.network import new_session

from .base import PREFIX
from .transport import SandboxTransport

HASHTAG = "tea"

# (slug, hours ago, title, text, author)
NEWS = [
    (
        "cloudmist-first-flush",
        5,
        "Cloudmist opens the first flush of the season",
        "Cloudmist Tea says its Longjing harvest is early this year, and the "
        "first tins sold out within a day. Buyers praise the fresh, sweet taste.",
        "Tea Trade Weekly",
    ),
    (
        "jade-leaf-prices",
        30,
        "Jade Leaf raises its prices again",
        "Jade Leaf is raising the price of its green teas for the second time; "
        "customers complain about slow delivery and stale leaves.",
        "Tea Trade Weekly",
    ),
    (
        "yunwu-longjing",
        52,
        "云雾茶明前龙井上市",
        "云雾茶今年的明前龙井提前上市，茶香清新，口感甘甜，很多茶友表示非常满意。",
        "茶界快讯",
    ),
    (
        "anji-white-tea-review",
        80,
        "安吉白茶横评：云雾与玉叶",
        "我们比较了云雾和玉叶的安吉白茶。云雾的白茶鲜爽，玉叶的包装破损，发货太慢，令人失望。",
        "茶界快讯",
    ),
]

# (id, hours ago, account, followers, language, text)
TOOTS = [
    (
        "109000000000000105",
        2,
        "leafreader",
        230,
        "en",
        "Just brewed the new Cloudmist Longjing. Wonderful, bright and sweet! #tea",
    ),
    (
        "109000000000000104",
        7,
        "teacritic",
        48000,
        "en",
        "My Cloudmist order arrived damaged and support never answered. "
        "Disappointed. #tea",
    ),
    (
        "109000000000000103",
        20,
        "chayou",
        1200,
        "zh",
        "云雾的安吉白茶很好喝，推荐给大家！#tea",
    ),
    (
        "109000000000000102",
        44,
        "greenleaf",
        85,
        "en",
        "Jade Leaf or Cloudmist for a Dragon Well gift? Both look good. #tea",
    ),
    (
        "109000000000000101",
        70,
        "hangzhou_tea",
        5600,
        "zh",
        "玉叶的龙井太贵了，而且味道一般，有点失望。#tea",
    ),
]


def base_url():
    """Where the imitation sources live, on the demo's own address."""
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{PREFIX}listen"


def feed_url():
    return f"{base_url()}/news/feed.xml"


def mastodon_url():
    return f"{base_url()}/mastodon"


def session():
    """The listening fetches' session: calls to the imitation sources are
    answered inside the process; any other address is fetched (and checked)
    as usual."""
    http = new_session()
    http.mount(base_url() + "/", SandboxTransport())
    return http


def ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@require_GET
def news_feed(request):
    feed = Rss201rev2Feed(
        title="Tea Trade Weekly (sandbox)",
        link=f"{base_url()}/news/",
        description="Imitation tea news for the Socialsite demo.",
        language="en",
    )
    for slug, hours, title, text, author in NEWS:
        feed.add_item(
            title=title,
            link=f"{base_url()}/news/{slug}/",
            description=text,
            author_name=author,
            pubdate=ago(hours),
            unique_id=slug,
        )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/rss+xml; charset=utf-8"
    )


@require_GET
def news_article(request, slug):
    for item_slug, _hours, title, text, author in NEWS:
        if item_slug == slug:
            return HttpResponse(
                f"<!doctype html><meta charset=utf-8><title>{escape(title)}</title>"
                f"<h1>{escape(title)}</h1><p>{escape(text)}</p>"
                f"<p>{escape(author)} · sandbox</p>"
            )
    return HttpResponse("Not found", status=404, content_type="text/plain")


def status(number, hours, account, followers, language, text):
    host = f"{base_url()}/mastodon"
    return {
        "id": number,
        "created_at": ago(hours).isoformat(),
        "language": language,
        "url": f"{host}/@{account}/{number}",
        "content": f"<p>{escape(text)}</p>",
        "account": {
            "acct": account,
            "username": account,
            "display_name": account,
            "followers_count": followers,
        },
    }


@require_GET
def mastodon_tag(request, tag):
    statuses = [status(*toot) for toot in TOOTS] if tag.lower() == HASHTAG else []
    since = request.GET.get("since_id", "")
    if since.isdigit():
        statuses = [s for s in statuses if int(s["id"]) > int(since)]
    return JsonResponse(statuses, safe=False)


@require_GET
def mastodon_status(request, account, number):
    for toot in TOOTS:
        if toot[0] == number and toot[2] == account:
            return HttpResponse(
                f"<!doctype html><meta charset=utf-8><title>@{escape(account)}"
                f"</title><p>{escape(toot[5])}</p>"
            )
    return HttpResponse("Not found", status=404, content_type="text/plain")


urlpatterns = [
    path("news/feed.xml", news_feed, name="listen_feed"),
    path("news/<slug:slug>/", news_article, name="listen_article"),
    path(
        "mastodon/api/v1/timelines/tag/<str:tag>",
        mastodon_tag,
        name="listen_mastodon_tag",
    ),
    path(
        "mastodon/@<str:account>/<str:number>",
        mastodon_status,
        name="listen_mastodon_status",
    ),
]
