"""Lets WeChat's JS-SDK script through a Content Security Policy (django-csp),
only on responses that use it: pages viewed inside WeChat on sites with a
configured official account. Put it after django-csp's middleware."""

from urllib.parse import urlsplit

from . import app_settings


class WeChatJSSDKMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_sharing_wechat_sdk", False):
            parts = urlsplit(app_settings.WECHAT_JSSDK_URL)
            origin = f"{parts.scheme}://{parts.netloc}"
            update = dict(getattr(response, "_csp_update", None) or {})
            update["script-src"] = [*update.get("script-src", []), origin]
            response._csp_update = update
        return response
