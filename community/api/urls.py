"""The API's URLs; a project mounts them outside its language prefix, e.g.
``path("api/", include("community.api.urls"))``:

- ``v1/…``: the endpoints, of the community apps that are installed;
- ``schema/``: the OpenAPI schema; ``docs/``: its browsable docs page;
- ``oauth/authorize/``, ``oauth/token/``, ``oauth/revoke_token/``:
  django-oauth-toolkit's authorization code flow (with PKCE).
"""

from importlib import import_module

from django.apps import apps
from django.urls import include, path, re_path
from oauth2_provider import views as oauth_views
from rest_framework.routers import SimpleRouter

from community.api.views import DocsView, MeViewSet, SchemaView, not_found

app_name = "community_api"

#: (app, module of this package with its endpoints): each registered only
#: when its app is installed.
ENDPOINTS = [
    ("wagtail", "community.api.pages"),
    ("community.posts", "community.api.posts"),
    ("community.comments", "community.api.comments"),
    ("community.events", "community.api.events"),
    ("community.campaigns", "community.api.campaigns"),
]

router = SimpleRouter()
router.register("me", MeViewSet, basename="me")
for app, module in ENDPOINTS:
    if apps.is_installed(app):
        import_module(module).register(router)

oauth_patterns = [
    path("authorize/", oauth_views.AuthorizationView.as_view(), name="authorize"),
    path("token/", oauth_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
]

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("oauth/", include((oauth_patterns, "oauth2_provider"))),
    re_path(r"^", not_found),
]
