"""The share endpoint, the QR page and image for WeChat, and WeChat's JS-SDK
signature. Anything bad in the URL is a 404, never an error or a redirect."""

import io
from urllib.parse import urlsplit

import segno
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .links import canonical_url, instance_template, share_target, sharing_settings
from .platforms.base import instance_host
from .registry import registry
from .shareables import resolve, tag_url
from .snapshots import snapshot
from .tracking import record_share
from .wechat import WeChatClient, in_wechat

MAX_PK = 2**63 - 1


class ShareRedirect(HttpResponseRedirect):
    """A 302 to a share intent; mailto: is allowed for the e-mail platform."""

    allowed_schemes = ["http", "https", "mailto"]


def get_share_platform(platform, pk):
    platform_obj = registry.get(platform)
    if platform_obj is None or not platform_obj.can_share or pk > MAX_PK:
        raise Http404("Unknown platform or object")
    return platform_obj


def get_platform_and_object(request, platform, kind, pk):
    platform_obj = get_share_platform(platform, pk)
    obj = resolve(request, kind, pk)
    if obj is None:
        raise Http404("Unknown platform or object")
    return platform_obj, obj


@require_safe
@never_cache
def share(request, platform, kind, pk):
    """Count a share and send the visitor to the platform's share intent.
    The object comes from the snapshot cache and the count goes to the counter
    backend: with Redis, no database query once the snapshot is cached."""
    platform_obj = get_share_platform(platform, pk)
    obj = snapshot(request, kind, pk)
    if obj is None:
        raise Http404("Unknown platform or object")
    target = share_target(request, platform_obj, obj, image=obj.image_url)
    if not target:
        raise Http404("Nothing to share")
    response = ShareRedirect(target)
    record_share(request, platform_obj, obj, site_id=obj.site_id)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def qr_code(url):
    return segno.make(url, error="m")


@require_safe
def qr(request, platform, kind, pk):
    """A page with the QR code of the object's link, to scan with the
    platform's app: what WeChat's button opens without JavaScript."""
    platform_obj, obj = get_platform_and_object(request, platform, kind, pk)
    url = tag_url(canonical_url(obj), platform_obj.id)
    response = render(
        request,
        "sharing/qr.html",
        {
            "platform": platform_obj,
            "object": obj,
            "share_title": obj.get_share_title(),
            "url": url,
            "qr_svg": qr_svg_markup(url),
            "in_wechat": in_wechat(request),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def instance(request, platform, kind, pk):
    """The page a federated platform's button opens (Mastodon): it asks for
    the visitor's server and links to the share intent there. The server is
    whatever the visitor typed, so the page shows it in a link and never
    redirects to it: no open redirect through this site. The script remembers
    the server in the browser and goes straight on."""
    platform_obj, obj = get_platform_and_object(request, platform, kind, pk)
    if platform_obj.share_action != "instance":
        raise Http404("Not a federated platform")
    typed = request.GET.get("instance", "")[:300]
    host = instance_host(typed) if typed else None
    target = None
    if host:
        target = platform_obj.instance_share_url(
            host,
            tag_url(canonical_url(obj), platform_obj.id),
            title=obj.get_share_title(),
            summary=obj.get_share_description(),
        )
    response = render(
        request,
        "sharing/instance.html",
        {
            "platform": platform_obj,
            "object": obj,
            "share_title": obj.get_share_title(),
            "instance": host or typed.strip()[:253],
            "invalid": bool(typed.strip()) and host is None,
            "target": target,
            "template": instance_template(platform_obj, obj),
        },
        status=400 if typed.strip() and host is None else 200,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def qr_svg_markup(url):
    # A viewBox and no fixed size, so CSS can scale it without cropping.
    return qr_code(url).svg_inline(
        scale=6, border=2, dark="#1d2421", light="#fff", omitsize=True
    )


@require_safe
def qr_svg(request, platform, kind, pk):
    """The QR code of the object's tagged link as an SVG image. The link is
    built on the Site's root URL, not the Host header; the image is cached
    publicly, so it still varies by Host: a page that belongs to two sites
    has a different link on each."""
    platform_obj, obj = get_platform_and_object(request, platform, kind, pk)
    url = tag_url(canonical_url(obj), platform_obj.id)
    buffer = io.BytesIO()
    qr_code(url).save(
        buffer, kind="svg", scale=6, border=2, dark="#1d2421", light="#fff"
    )
    response = HttpResponse(
        buffer.getvalue(), content_type="image/svg+xml; charset=utf-8"
    )
    patch_cache_control(response, public=True, max_age=3600)
    patch_vary_headers(response, ["Host"])
    return response


@require_safe
@never_cache
def wechat_config(request):
    """`wx.config` arguments for a page of this site, when the site set up a
    WeChat official account: {appId, timestamp, nonceStr, signature}."""
    settings = sharing_settings(request)
    if not settings.wechat_configured:
        raise Http404("WeChat is not configured for this site")
    url = request.GET.get("url", "")
    parts = urlsplit(url)
    if (
        len(url) > 2000
        or parts.scheme not in {"http", "https"}
        or parts.netloc != request.get_host()
    ):
        return JsonResponse({"error": "url must be a page of this site"}, status=400)
    config = WeChatClient(settings.wechat_app_id, settings.wechat_app_secret).js_config(
        url
    )
    if config is None:
        return JsonResponse({"error": "WeChat is unavailable"}, status=503)
    return JsonResponse(config)
