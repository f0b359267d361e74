from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from community.providers.qq.views import QQOAuth2Adapter


class QQAccount(ProviderAccount):
    def get_avatar_url(self):
        data = self.account.extra_data
        return data.get("figureurl_qq_2") or data.get("figureurl_qq_1")

    def to_str(self):
        return self.account.extra_data.get("nickname") or super().to_str()


class QQProvider(OAuth2Provider):
    id = "qq"
    name = "QQ"
    account_class = QQAccount
    oauth2_adapter_class = QQOAuth2Adapter

    def get_default_scope(self):
        return ["get_user_info"]

    def extract_uid(self, data):
        return data.get("unionid") or data["openid"]

    def extract_common_fields(self, data):
        # QQ Connect gives no e-mail address: the visitor adds one at sign-up.
        return {"name": data.get("nickname", "")}


provider_classes = [QQProvider]
