from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_page
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from community.posts.sitemaps import PostSitemap
from socialsite.website import views as website_views
from socialsite.website.sitemaps import TranslatedSitemap

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "sitemap.xml",
        cache_page(60 * 15)(sitemap),
        {"sitemaps": {"pages": TranslatedSitemap, "posts": PostSitemap}},
        name="sitemap",
    ),
    path("robots.txt", website_views.robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Outside the language prefix: OAuth callback URLs registered with the
    # providers must not change with the visitor's language.
    path("accounts/", include("allauth.urls")),
    # The community API, its docs and OAuth for apps (docs/api.md): outside the
    # language prefix, like the OAuth callbacks.
    path("api/", include("community.api.urls")),
    # The inbound webhook of listening sources (docs/insights.md), likewise.
    path("insights/", include("community.insights.urls")),
]

urlpatterns += i18n_patterns(
    path("search/", website_views.search, name="search"),
    path("community/", include("community.urls")),
    path("community/comments/", include("community.comments.urls")),
    path("community/posts/", include("community.posts.urls")),
    path("community/campaigns/", include("community.campaigns.urls")),
    path("community/events/", include("community.events.urls")),
    path("comments/", include("community.comments.xtd_urls")),
    path("share/", include("sharing.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if apps.is_installed("socialsite.sandbox"):
    # Development only (dev.py, README "Social sign-in in the demo"): the
    # imitation WeChat, QQ, Weibo and OpenID Connect servers.
    urlpatterns.append(path("sandbox-oauth/", include("socialsite.sandbox.urls")))

if settings.SERVE_MEDIA:
    # Development only: in production the web server or object storage serves
    # media files.
    from django.views.static import serve

    urlpatterns.insert(
        0,
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    )

handler400 = "socialsite.views.bad_request"
handler404 = "socialsite.views.page_not_found"
handler500 = "socialsite.views.server_error"
