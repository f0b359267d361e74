from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.oauth2.views import OAuth2LoginView
from allauth.socialaccount.providers.weibo.views import (
    WeiboOAuth2Adapter as BaseWeiboOAuth2Adapter,
)

from community.providers.oauth2 import CallbackView

API_URL = "https://api.weibo.com"


class WeiboOAuth2Adapter(BaseWeiboOAuth2Adapter):
    """Weibo's authorize, access_token and `2/users/show.json` under the base
    URL `API_URL`: the Social application's setting `api_url`, else the
    provider setting `API_URL` in SOCIALACCOUNT_PROVIDERS, else Weibo's own."""

    @property
    def api_url(self):
        provider = self.get_provider()
        return (provider.app.settings or {}).get(
            "api_url"
        ) or provider.get_settings().get("API_URL", API_URL)

    @property
    def authorize_url(self):
        return self.api_url + "/oauth2/authorize"

    @property
    def access_token_url(self):
        return self.api_url + "/oauth2/access_token"

    @property
    def profile_url(self):
        return self.api_url + "/2/users/show.json"

    def complete_login(self, request, app, token, **kwargs):
        uid = (kwargs.get("response") or {}).get("uid")
        with get_adapter().get_requests_session() as session:
            resp = session.get(
                self.profile_url, params={"access_token": token.token, "uid": uid}
            )
        try:
            extra_data = resp.json()
        except ValueError as error:
            raise ProviderException("Weibo sent an unreadable profile") from error
        if not isinstance(extra_data, dict) or "error_code" in extra_data:
            raise ProviderException(f"Weibo refused the profile: {extra_data}")
        return self.get_provider().sociallogin_from_response(request, extra_data)


oauth2_login = OAuth2LoginView.adapter_view(WeiboOAuth2Adapter)
oauth2_callback = CallbackView.adapter_view(WeiboOAuth2Adapter)
