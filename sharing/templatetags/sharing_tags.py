"""Template tags of the sharing app: thin adapters over sharing.links and
sharing.meta."""

from django import template
from django.utils.html import format_html

from .. import app_settings, links, meta, sitedata, wechat
from ..models import ShareCount
from ..shareables import Shareable

register = template.Library()


def _shareable(obj, request):
    return isinstance(obj, Shareable) and obj.is_shareable(request)


@register.inclusion_tag("sharing/includes/share_buttons.html", takes_context=True)
def share_buttons(context, obj, heading=None):
    """Share buttons for `obj` (nothing for private or non-shareable objects, or
    when editors turned them off)."""
    request = context.get("request")
    if not _shareable(obj, request) or not obj.share_buttons_enabled():
        return {"buttons": []}
    settings = sitedata.for_request(request)
    kind, pk = obj.get_share_key()
    in_wechat = request is not None and wechat.in_wechat(request)
    if in_wechat and settings.wechat_configured:
        # Tells WeChatJSSDKMiddleware to allow WeChat's script on this response.
        request._sharing_wechat_sdk = True
    return {
        "request": request,
        "buttons": links.share_buttons(request, obj),
        "heading": heading,
        "object": obj,
        "title": obj.get_share_title(),
        "summary": obj.get_share_description(),
        "count": (
            ShareCount.total_for(kind, pk) if settings.show_share_count else None
        ),
        "in_wechat": in_wechat,
        "wechat_sdk": in_wechat and settings.wechat_configured,
        "wechat_sdk_url": app_settings.WECHAT_JSSDK_URL,
        "image_url": (
            links.image_url(request, obj)
            if in_wechat and settings.wechat_configured
            else ""
        ),
        "assets": links.assets_once(request, "assets"),
    }


@register.inclusion_tag("sharing/includes/share_meta.html", takes_context=True)
def share_meta(context, obj):
    """Canonical URL, Open Graph and Twitter Card tags for `obj` (and itemprop
    tags with SHARING_ITEMPROP_META)."""
    request = context.get("request")
    if not isinstance(obj, Shareable) or not obj.get_share_url(request):
        return {"meta": None}
    return {"meta": meta.share_meta(request, obj)}


@register.inclusion_tag("sharing/includes/alternate_links.html", takes_context=True)
def alternate_links(context, obj=None):
    """`<link rel="alternate" hreflang>` for every translation of `obj` (a
    page's, or an object's `get_alternate_urls`) and `x-default`; without
    `obj`, the request's path in every language."""
    request = context.get("request")
    return {"alternates": meta.alternates(request, obj)}


@register.simple_tag
def meta_description(obj):
    """`<meta name="description">` for `obj`: a page's search description,
    else its first paragraph as plain text, truncated (nothing when empty)."""
    text = meta.description(obj) if obj is not None else ""
    if not text:
        return ""
    return format_html('<meta name="description" content="{}">', text)


@register.inclusion_tag("sharing/includes/follow_us.html", takes_context=True)
def follow_us(context, where="follow", heading=None, text=""):
    """The company's own-media accounts for `where`: header, footer or follow."""
    request = context.get("request")
    return {
        "request": request,
        "accounts": links.follow_accounts(request, where),
        "where": where,
        "heading": heading,
        "text": text,
        "assets": links.assets_once(request, "assets"),
    }
