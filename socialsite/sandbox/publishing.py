"""Imitation publishing APIs of Weibo, the WeChat official account and
Mastodon, under /sandbox-oauth/publish/<platform>/: the demo's own-media
accounts post there while the sandbox is on (settings/dev.py), so an editor
sees a published article "sent", with a link to the post on the imitation
platform. Posts are kept in the cache for a day; nothing leaves the machine.

The site calls them through the sandbox's in-process transport (`session`),
as it calls the sign-in servers."""

import itertools
import json as jsonlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.html import strip_tags
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sharing.models import OwnMediaAccount
from sharing.publishers.base import new_session
from sharing.registry import registry

from .base import PREFIX, json
from .transport import SandboxTransport

#: The demo accounts' credentials at the imitation platforms.
WEIBO_TOKEN = "sandbox-weibo-publishing-token"  # noqa: S105 (a demo value)
WEIBO_UID = "5000000001"
WECHAT_APP_ID = "wxsandbox00000001"
WECHAT_APP_SECRET = "sandbox-wechat-app-secret"  # noqa: S105 (a demo value)
MASTODON_TOKEN = "sandbox-mastodon-token"  # noqa: S105 (a demo value)
MASTODON_USER = "cloudmist"

POST_LIFETIME = 24 * 60 * 60
_ids = itertools.count(1)


def base_url():
    """Where the imitation APIs live, on the demo's own address."""
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{PREFIX}publish"


def sharing_settings():
    """The SHARING_PUBLISH_* settings that point the publishers here."""
    base = base_url()
    return {
        "SHARING_PUBLISH_SESSION": "socialsite.sandbox.publishing.session",
        "SHARING_PUBLISH_API_BASES": {
            "weibo": f"{base}/weibo",
            "wechat": f"{base}/wechat",
        },
        "SHARING_PUBLISH_POST_URLS": {
            "weibo": f"{base}/weibo/{{user}}/{{id}}/",
            "wechat": f"{base}/wechat/drafts/{{id}}/",
        },
    }


def session():
    """The publishers' HTTP session: calls to the imitation APIs are answered
    inside the process (no request to itself over the network)."""
    http = new_session()
    http.mount(base_url() + "/", SandboxTransport())
    return http


def configure_demo_accounts(sharing):
    """Give the demo's Weibo and WeChat accounts their sandbox credentials
    and add a Mastodon account, unless an editor set their own."""
    accounts = {account.platform: account for account in sharing.accounts.all()}
    weibo = accounts.get("weibo")
    if weibo is not None and not weibo.access_token:
        weibo.access_token = WEIBO_TOKEN
        weibo.save()
    wechat = accounts.get("wechat")
    if wechat is not None and not wechat.client_id:
        wechat.client_id = WECHAT_APP_ID
        wechat.client_secret = WECHAT_APP_SECRET
        wechat.save()
    if "mastodon" not in accounts:
        OwnMediaAccount.objects.create(
            settings=sharing,
            sort_order=len(accounts),
            platform="mastodon",
            label="Cloudmist Tea (Mastodon sandbox)",
            url=f"{base_url()}/mastodon/@{MASTODON_USER}/",
            api_base=f"{base_url()}/mastodon",
            access_token=MASTODON_TOKEN,
            show_in_header=False,
            show_in_footer=False,
            show_in_follow_block=False,
        )


class Platform:
    """What the sandbox's page template shows of an imitation platform."""

    def __init__(self, platform_id):
        self.id = self.segment = platform_id
        self.platform = registry.get(platform_id)
        self.name = self.platform.name if self.platform else platform_id
        self.icon = self.platform.icon_svg if self.platform else ""
        self.favicon = None


def store(platform, post):
    post_id = f"{next(_ids)}{secrets.randbelow(10**6):06d}"
    cache.set(f"sandbox-publish:{platform}:{post_id}", post, POST_LIFETIME)
    return post_id


def stored(platform, post_id):
    post = cache.get(f"sandbox-publish:{platform}:{post_id}")
    if post is None:
        raise Http404("No such post in the sandbox.")
    return post


# Weibo: statuses/share.


@csrf_exempt
@require_POST
def weibo_share(request):
    if request.POST.get("access_token") != WEIBO_TOKEN:
        return json({"error": "invalid_access_token", "error_code": 21332}, status=401)
    text = request.POST.get("status", "").strip()
    if not text or len(text) > 2000:
        return json({"error": "text too long", "error_code": 20012}, status=400)
    post_id = store("weibo", {"text": text, "picture": "pic" in request.FILES})
    return json(
        {
            "id": int(post_id),
            "idstr": post_id,
            "text": text,
            "user": {"idstr": WEIBO_UID},
        }
    )


# WeChat: access token, permanent material, draft.


@require_GET
def wechat_token(request):
    if (
        request.GET.get("appid") != WECHAT_APP_ID
        or request.GET.get("secret") != WECHAT_APP_SECRET
    ):
        return json({"errcode": 40125, "errmsg": "invalid appsecret"})
    token = store("wechat-token", True)
    return json({"access_token": f"wxtoken-{token}", "expires_in": 7200})


def wechat_token_ok(request):
    token = request.GET.get("access_token", "")
    return token.startswith("wxtoken-") and cache.get(
        f"sandbox-publish:wechat-token:{token[len('wxtoken-') :]}"
    )


@csrf_exempt
@require_POST
def wechat_material(request):
    if not wechat_token_ok(request):
        return json({"errcode": 42001, "errmsg": "access_token expired"})
    if "media" not in request.FILES:
        return json({"errcode": 41005, "errmsg": "media data missing"})
    media_id = store("wechat-material", True)
    return json({"media_id": f"material-{media_id}", "url": ""})


@csrf_exempt
@require_POST
def wechat_draft(request):
    if not wechat_token_ok(request):
        return json({"errcode": 42001, "errmsg": "access_token expired"})
    try:
        article = jsonlib.loads(request.body.decode("utf-8"))["articles"][0]
        title, content = str(article["title"]), str(article["content"])
        link = str(article.get("content_source_url", ""))
    except (ValueError, KeyError, IndexError, TypeError):
        return json({"errcode": 44003, "errmsg": "empty news data"})
    if not str(article.get("thumb_media_id", "")).startswith("material-"):
        return json({"errcode": 40007, "errmsg": "invalid media_id"})
    post_id = store(
        "wechat", {"title": title[:64], "text": strip_tags(content), "link": link}
    )
    return json({"media_id": post_id})


# Mastodon: POST /api/v1/statuses.


@csrf_exempt
@require_POST
def mastodon_status(request):
    if request.headers.get("Authorization") != f"Bearer {MASTODON_TOKEN}":
        return json({"error": "The access token is invalid"}, status=401)
    key = request.headers.get("Idempotency-Key", "")[:100]
    if key and (known := cache.get(f"sandbox-publish:mastodon-key:{key}")):
        return json(known)
    text = request.POST.get("status", "").strip()
    if not text or len(text) > 500:
        return json({"error": "Validation failed: Text is too long"}, status=422)
    post_id = store("mastodon", {"text": text})
    status = {
        "id": post_id,
        "url": f"{base_url()}/mastodon/@{MASTODON_USER}/{post_id}/",
        "content": text,
    }
    if key:
        cache.set(f"sandbox-publish:mastodon-key:{key}", status, POST_LIFETIME)
    return json(status)


# The posts, as the platforms would show them.


def show(request, platform, post_id, user=""):
    post = stored(platform, post_id)
    context = {"server": Platform(platform), "post": post, "user": user}
    return render(request, "sandbox/published_post.html", context)


def profile(request):
    context = {"server": Platform("mastodon"), "post": None, "user": MASTODON_USER}
    return render(request, "sandbox/published_post.html", context)


urlpatterns = [
    path("weibo/2/statuses/share.json", weibo_share, name="publish_weibo"),
    path(
        "weibo/<str:user>/<str:post_id>/",
        lambda request, user, post_id: show(request, "weibo", post_id, user),
        name="publish_weibo_post",
    ),
    path("wechat/cgi-bin/token", wechat_token, name="publish_wechat_token"),
    path(
        "wechat/cgi-bin/material/add_material",
        wechat_material,
        name="publish_wechat_material",
    ),
    path("wechat/cgi-bin/draft/add", wechat_draft, name="publish_wechat_draft"),
    path(
        "wechat/drafts/<str:post_id>/",
        lambda request, post_id: show(request, "wechat", post_id),
        name="publish_wechat_post",
    ),
    path("mastodon/api/v1/statuses", mastodon_status, name="publish_mastodon"),
    path(f"mastodon/@{MASTODON_USER}/", profile, name="publish_mastodon_profile"),
    path(
        f"mastodon/@{MASTODON_USER}/<str:post_id>/",
        lambda request, post_id: show(request, "mastodon", post_id, MASTODON_USER),
        name="publish_mastodon_post",
    ),
]
