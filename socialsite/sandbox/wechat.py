"""WeChat's open platform (website QR-code login) and its in-app OAuth:
open.weixin.qq.com/connect/... and api.weixin.qq.com/sns/..."""

import json as jsonlib

from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from . import grants
from .base import ImitationServer, authorize, json
from .identities import Identity


class WeChatServer(ImitationServer):
    id = "weixin"
    name = _("WeChat")
    client_id = "wxsandbox00website"
    client_param = "appid"
    scopes = {"snsapi_login", "snsapi_userinfo", "snsapi_base"}

    def app_settings(self, base_url):
        # Read by community.providers.wechat (its OPEN_URL and API_URL).
        return {"open_url": base_url, "api_url": base_url}

    def allowed(self, request, query, person):
        code = self.issue_code(query, person, scope=query["scope"])
        return {"code": code, "state": query.get("state", "")}

    def denied(self, query):
        # "若用户禁止授权，则重定向后不会带上 code 参数，仅会带上 state 参数"
        return {"state": query.get("state", "")}

    def openid(self, person, appid):
        return "o" + person.hex_id("wechat-openid", appid, length=27)

    def unionid(self, person):
        return "o" + person.hex_id("wechat-unionid", length=27)

    def access_token(self, request):
        # Documented as GET with a query string; WeChat also reads a form
        # body, which is what allauth sends.
        query = request.POST if request.method == "POST" else request.GET
        if query.get("appid") != self.client_id:
            return error(40013, "invalid appid")
        if query.get("secret") != self.secret:
            return error(40125, "invalid appsecret")
        if query.get("grant_type") != "authorization_code":
            return error(40002, "invalid grant_type")
        grant = grants.redeem_code(self.id, query.get("code", ""))
        if not grant or grant["client"] != self.client_id:
            return error(40029, "invalid code")
        person = Identity(grant["nickname"])
        openid = self.openid(person, self.client_id)
        token = grants.issue_token(self.id, openid=openid, nickname=person.nickname)
        return json(
            {
                "access_token": token,
                "expires_in": grants.TOKEN_LIFETIME,
                "refresh_token": grants.issue_token(self.id, refresh=openid),
                "openid": openid,
                "scope": grant["scope"],
                "unionid": self.unionid(person),
            }
        )

    def userinfo(self, request):
        grant = grants.read_token(self.id, request.GET.get("access_token", ""))
        if not grant or "openid" not in grant:
            return error(40001, "invalid credential, access_token is invalid")
        if request.GET.get("openid") != grant["openid"]:
            return error(40003, "invalid openid")
        person = Identity(grant["nickname"])
        profile = {
            "openid": grant["openid"],
            "nickname": person.nickname,
            "sex": 0,
            "language": "",
            "city": "",
            "province": "",
            "country": "",
            "headimgurl": "",
            "privilege": [],
            "unionid": self.unionid(person),
        }
        # Like WeChat: UTF-8 that does not say so.
        return HttpResponse(
            jsonlib.dumps(profile, ensure_ascii=False),
            content_type="text/plain",
            headers={"Cache-Control": "no-store"},
        )

    def urlpatterns(self):
        return [
            path("connect/qrconnect", authorize, {"server": self}),
            path("connect/oauth2/authorize", authorize, {"server": self}),
            path("sns/oauth2/access_token", csrf_exempt(self.access_token)),
            path("sns/userinfo", self.userinfo),
        ]


def error(code, message):
    """WeChat's errors: HTTP 200 with an errcode."""
    return json({"errcode": code, "errmsg": message})
