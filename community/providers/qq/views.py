import json

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import ProviderException
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2LoginView,
)

from community.providers.oauth2 import CallbackView

GRAPH_URL = "https://graph.qq.com"


def parse_qq_json(text):
    """QQ answers JSON, or JSONP (`callback( {...} );`) on older endpoints."""
    text = text.strip()
    if text.startswith("callback"):
        text = text[text.index("(") + 1 : text.rindex(")")]
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ProviderException("QQ sent an unreadable answer") from error
    if not isinstance(data, dict):
        raise ProviderException("QQ sent an unexpected answer")
    return data


class QQOAuth2Adapter(OAuth2Adapter):
    """QQ Connect: authorize, token, `oauth2.0/me` (the openid) and
    `user/get_user_info`. The base URL comes from the Social application's
    setting `graph_url`, else the provider setting `GRAPH_URL`
    (https://graph.qq.com by default; tests and the demo's sandbox move it)."""

    provider_id = "qq"
    access_token_method = "GET"  # noqa: S105 - QQ's token endpoint takes GET

    @property
    def graph_url(self):
        provider = self.get_provider()
        return (provider.app.settings or {}).get(
            "graph_url"
        ) or provider.get_settings().get("GRAPH_URL", GRAPH_URL)

    @property
    def authorize_url(self):
        return self.graph_url + "/oauth2.0/authorize"

    @property
    def access_token_url(self):
        return self.graph_url + "/oauth2.0/token"

    def complete_login(self, request, app, token, **kwargs):
        with get_adapter().get_requests_session() as session:
            me = session.get(
                self.graph_url + "/oauth2.0/me",
                params={"access_token": token.token, "unionid": "1", "fmt": "json"},
            )
            me.raise_for_status()
            identity = parse_qq_json(me.text)
            if not identity.get("openid"):
                raise ProviderException("QQ did not send the openid")
            if identity.get("client_id") not in (None, app.client_id):
                raise ProviderException("The QQ token belongs to another app")
            info = session.get(
                self.graph_url + "/user/get_user_info",
                params={
                    "access_token": token.token,
                    "oauth_consumer_key": app.client_id,
                    "openid": identity["openid"],
                },
            )
            info.raise_for_status()
            profile = parse_qq_json(info.text)
        if str(profile.get("ret", "0")) != "0":
            raise ProviderException(f"QQ refused the profile: {profile.get('msg')}")
        extra_data = {**profile, "openid": identity["openid"]}
        if identity.get("unionid"):
            extra_data["unionid"] = identity["unionid"]
        return self.get_provider().sociallogin_from_response(request, extra_data)


oauth2_login = OAuth2LoginView.adapter_view(QQOAuth2Adapter)
oauth2_callback = CallbackView.adapter_view(QQOAuth2Adapter)
