"""Weibo's OAuth 2.0: api.weibo.com/oauth2/... and 2/users/show.json."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import grants
from .base import ImitationServer, authorize, json
from .identities import Identity


class WeiboServer(ImitationServer):
    id = "weibo"
    name = _("Weibo")
    client_id = "3000000000"
    scopes = {"all", "email", "follow_app_official_microblog"}

    def check(self, request, query):
        # Weibo's scope is optional.
        query = query.copy()
        query.setdefault("scope", "all")
        query["scope"] = query["scope"] or "all"
        super().check(request, query)

    def app_settings(self, base_url):
        # Read by community.providers.weibo (its API_URL).
        return {"api_url": base_url}

    def allowed(self, request, query, person):
        return {"code": self.issue_code(query, person), "state": query.get("state", "")}

    def denied(self, query):
        return {
            "error_uri": "/oauth2/authorize",
            "error": "access_denied",
            "error_description": "user denied your request.",
            "error_code": "21330",
            "state": query.get("state", ""),
        }

    def uid(self, person):
        return person.number_id("weibo-uid", self.client_id)

    def access_token(self, request):
        data = request.POST
        if data.get("client_id") != self.client_id:
            return error(request, 21323, "invalid_client", "client_id is invalid")
        if data.get("client_secret") != self.secret:
            return error(request, 21324, "invalid_client", "client_secret is invalid")
        if data.get("grant_type") != "authorization_code":
            return error(request, 21328, "unsupported_grant_type", "grant_type")
        grant = grants.redeem_code(self.id, data.get("code", ""))
        if (
            not grant
            or grant["client"] != self.client_id
            or grant["redirect_uri"] != data.get("redirect_uri")
        ):
            return error(request, 21325, "invalid_grant", "invalid authorization code")
        person = Identity(grant["nickname"])
        uid = self.uid(person)
        return json(
            {
                "access_token": grants.issue_token(
                    self.id, uid=uid, nickname=person.nickname
                ),
                "remind_in": str(grants.TOKEN_LIFETIME),
                "expires_in": grants.TOKEN_LIFETIME,
                "uid": uid,
                "isRealName": "true",
            },
            # Weibo's own content type for JSON.
            content_type="text/plain;charset=UTF-8",
        )

    def users_show(self, request):
        grant = grants.read_token(self.id, request.GET.get("access_token", ""))
        if not grant or "uid" not in grant:
            return error(request, 21332, "invalid_access_token", "", status=401)
        if request.GET.get("uid") != grant["uid"]:
            return error(request, 20003, "User does not exists!", "", status=400)
        nickname = grant["nickname"]
        return json(
            {
                "id": int(grant["uid"]),
                "idstr": grant["uid"],
                "screen_name": nickname,
                "name": nickname,
                "province": "100",
                "city": "1000",
                "location": "",
                "description": "",
                "url": "",
                "profile_image_url": "",
                "profile_url": "u/" + grant["uid"],
                "domain": "",
                "gender": "n",
                "followers_count": 0,
                "friends_count": 0,
                "statuses_count": 0,
                "favourites_count": 0,
                "created_at": "Mon Dec 01 09:00:00 +0800 2025",
                "verified": False,
                "avatar_large": "",
                "avatar_hd": "",
                "lang": "zh-cn",
            }
        )

    def urlpatterns(self):
        return [
            path("oauth2/authorize", authorize, {"server": self}),
            path("oauth2/access_token", csrf_exempt(require_POST(self.access_token))),
            path("2/users/show.json", self.users_show),
        ]


def error(request, code, name, description, status=400):
    return json(
        {
            "error": name,
            "error_code": code,
            "request": request.path.split("/weibo", 1)[-1],
            "error_uri": request.path.split("/weibo", 1)[-1],
            "error_description": description,
        },
        status=status,
    )
