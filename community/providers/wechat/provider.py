from allauth.socialaccount.providers.weixin.provider import (
    WeixinAccount,
    WeixinProvider,
)
from django.utils.translation import gettext_lazy as _

from community.providers.wechat.views import WeChatOAuth2Adapter, in_wechat


class WeChatAccount(WeixinAccount):
    pass


class WeChatProvider(WeixinProvider):
    """allauth's `weixin` provider (same id, so existing Social applications and
    accounts keep working), made China-ready."""

    id = "weixin"
    name = _("WeChat")
    account_class = WeChatAccount
    oauth2_adapter_class = WeChatOAuth2Adapter

    def extract_uid(self, data):
        # One person, one account across the company's WeChat apps (website,
        # official account, mini program) when they share an open platform.
        return data.get("unionid") or data["openid"]

    def get_scope(self):
        if in_wechat(self.request):
            return ["snsapi_userinfo"]
        return super().get_scope()

    def get_scope_from_request(self, request):
        # No scope from the query string: WeChat accepts exactly one.
        return self.get_scope()


provider_classes = [WeChatProvider]
