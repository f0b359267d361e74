"""Template tags of the sharing app: thin adapters over sharing.links and
sharing.meta."""

from django import template

from .. import app_settings, links, meta, wechat
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
    settings = links.sharing_settings(request)
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
    """Canonical URL, Open Graph, Twitter Card and itemprop tags for `obj`."""
    request = context.get("request")
    if not isinstance(obj, Shareable) or not obj.get_share_url(request):
        return {"meta": None}
    return {"meta": meta.share_meta(request, obj)}


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
