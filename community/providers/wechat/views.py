import json

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.oauth2.views import OAuth2LoginView
from allauth.socialaccount.providers.weixin.client import WeixinOAuth2Client
from allauth.socialaccount.providers.weixin.views import WeixinOAuth2Adapter

from community.providers.oauth2 import CallbackView

OPEN_URL = "https://open.weixin.qq.com"
API_URL = "https://api.weixin.qq.com"


def in_wechat(request):
    """True inside WeChat's own browser, whose user agent says MicroMessenger."""
    if request is None:
        return False
    return "micromessenger" in request.META.get("HTTP_USER_AGENT", "").lower()


class WeChatOAuth2Client(WeixinOAuth2Client):
    def get_redirect_url(self, authorization_url, scope, extra_params):
        url = super().get_redirect_url(authorization_url, scope, extra_params)
        if authorization_url.endswith("/connect/oauth2/authorize"):
            # WeChat's in-app flow requires this fragment.
            url += "#wechat_redirect"
        return url


class WeChatOAuth2Adapter(WeixinOAuth2Adapter):
    """Endpoints from the provider settings `OPEN_URL` and `API_URL` (WeChat's
    own by default; tests point them at fake servers).

    Inside WeChat the login goes through the official account (公众号) flow, which
    WeChat only allows for an official account's AppID: put its credentials in
    the Social application's settings as
    `{"official_account": {"client_id": ..., "secret": ...}}`; without them the
    application's own credentials are used for both flows.
    """

    client_class = WeChatOAuth2Client

    def _setting(self, name, default):
        provider = self.get_provider()
        return provider.app.settings.get(name.lower()) or provider.get_settings().get(
            name, default
        )

    @property
    def access_token_url(self):
        return self._setting("API_URL", API_URL) + "/sns/oauth2/access_token"

    @property
    def profile_url(self):
        return self._setting("API_URL", API_URL) + "/sns/userinfo"

    @property
    def authorize_url(self):
        base = self._setting("OPEN_URL", OPEN_URL)
        if in_wechat(self.request):
            return base + "/connect/oauth2/authorize"
        return self._setting("AUTHORIZE_URL", base + "/connect/qrconnect")

    def get_client(self, request, app):
        client = super().get_client(request, app)
        official = (app.settings or {}).get("official_account") or {}
        if in_wechat(request) and official.get("client_id"):
            client.consumer_key = official["client_id"]
            client.consumer_secret = official.get("secret", "")
        return client

    def complete_login(self, request, app, token, **kwargs):
        response = kwargs.get("response") or {}
        with get_adapter().get_requests_session() as session:
            resp = session.get(
                self.profile_url,
                params={"access_token": token.token, "openid": response.get("openid")},
            )
            resp.raise_for_status()
        try:
            # WeChat sends UTF-8 without saying so: decode the bytes ourselves.
            extra_data = json.loads(resp.content.decode("utf-8"))
        except ValueError as error:
            raise ProviderException("WeChat sent an unreadable profile") from error
        if not isinstance(extra_data, dict) or extra_data.get("errcode"):
            raise ProviderException(f"WeChat refused the profile: {extra_data}")
        if response.get("unionid") and not extra_data.get("unionid"):
            extra_data["unionid"] = response["unionid"]
        return self.get_provider().sociallogin_from_response(request, extra_data)


oauth2_login = OAuth2LoginView.adapter_view(WeChatOAuth2Adapter)
oauth2_callback = CallbackView.adapter_view(WeChatOAuth2Adapter)
