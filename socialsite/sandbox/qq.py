"""QQ Connect (QQ 互联): graph.qq.com/oauth2.0/... and user/get_user_info."""

import json as jsonlib
from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import path

from . import grants
from .base import ImitationServer, authorize, json
from .identities import Identity


class QQServer(ImitationServer):
    id = "qq"
    name = "QQ"
    client_id = "101000000"
    scopes = {
        "get_user_info",
        "list_album",
        "upload_pic",
        "add_album",
        "list_photo",
        "get_vip_info",
        "get_vip_rich_info",
    }

    def app_settings(self, base_url):
        # Read by community.providers.qq (its GRAPH_URL).
        return {"graph_url": base_url}

    def allowed(self, request, query, person):
        code = self.issue_code(query, person)
        return {"code": code, "state": query.get("state", "")}

    def denied(self, query):
        # No code: the visitor is sent back with the state only.
        return {"usercancel": "1", "state": query.get("state", "")}

    def openid(self, person):
        return person.hex_id("qq-openid", self.client_id).upper()

    def unionid(self, person):
        return "UID_" + person.hex_id("qq-unionid").upper()

    def token(self, request):
        query = request.GET
        if query.get("client_id") != self.client_id:
            return jsonp({"error": 100010, "error_description": "client_id invalid"})
        if query.get("client_secret") != self.secret:
            return jsonp({"error": 100015, "error_description": "client_secret error"})
        grant = grants.redeem_code(self.id, query.get("code", ""))
        if (
            not grant
            or grant["client"] != self.client_id
            or grant["redirect_uri"] != query.get("redirect_uri")
        ):
            return jsonp(
                {"error": 100019, "error_description": "code to access token error"}
            )
        person = Identity(grant["nickname"])
        answer = {
            "access_token": grants.issue_token(
                self.id, openid=self.openid(person), nickname=person.nickname
            ),
            "expires_in": "7776000",
            "refresh_token": grants.issue_token(self.id, refresh=self.openid(person)),
        }
        if query.get("fmt") == "json":
            return json(answer)
        return HttpResponse(urlencode(answer), content_type="text/plain")

    def me(self, request):
        grant = grants.read_token(self.id, request.GET.get("access_token", ""))
        fmt_json = request.GET.get("fmt") == "json"
        if not grant or "openid" not in grant:
            answer = {"error": 100016, "error_description": "access token check failed"}
        else:
            answer = {"client_id": self.client_id, "openid": grant["openid"]}
            if request.GET.get("unionid") == "1":
                answer["unionid"] = self.unionid(Identity(grant["nickname"]))
        return json(answer) if fmt_json else jsonp(answer)

    def get_user_info(self, request):
        query = request.GET
        grant = grants.read_token(self.id, query.get("access_token", ""))
        if not grant or "openid" not in grant:
            return json({"ret": 100016, "msg": "access token check failed"})
        if query.get("oauth_consumer_key") != self.client_id:
            return json({"ret": 100007, "msg": "param oauth_consumer_key error"})
        if query.get("openid") != grant["openid"]:
            return json({"ret": 100021, "msg": "openid is invalid"})
        return json(
            {
                "ret": 0,
                "msg": "",
                "is_lost": 0,
                "nickname": grant["nickname"],
                "gender": "",
                "gender_type": 0,
                "province": "",
                "city": "",
                "year": "",
                "figureurl": "",
                "figureurl_1": "",
                "figureurl_2": "",
                "figureurl_qq_1": "",
                "figureurl_qq_2": "",
                "is_yellow_vip": "0",
                "vip": "0",
                "yellow_vip_level": "0",
                "level": "0",
                "is_yellow_year_vip": "0",
            }
        )

    def urlpatterns(self):
        return [
            path("oauth2.0/authorize", authorize, {"server": self}),
            path("oauth2.0/token", self.token),
            path("oauth2.0/me", self.me),
            path("user/get_user_info", self.get_user_info),
        ]


def jsonp(data):
    """QQ's older endpoints answer `callback( {...} );`."""
    text = "callback( " + jsonlib.dumps(data, ensure_ascii=False) + " );\n"
    return HttpResponse(text, content_type="text/plain")
