from allauth.socialaccount.providers.weibo.provider import (
    WeiboAccount,
)
from allauth.socialaccount.providers.weibo.provider import (
    WeiboProvider as BaseWeiboProvider,
)
from django.utils.translation import gettext_lazy as _

from community.providers.weibo.views import WeiboOAuth2Adapter


class WeiboProvider(BaseWeiboProvider):
    id = "weibo"
    name = _("Weibo")
    account_class = WeiboAccount
    oauth2_adapter_class = WeiboOAuth2Adapter


provider_classes = [WeiboProvider]
