from django.urls import path

from . import views
from .pagecache import views as pagecache_views

app_name = "sharing"

urlpatterns = [
    path("wechat/config/", views.wechat_config, name="wechat_config"),
    path("csrf/", pagecache_views.csrf_token, name="csrf_token"),
    path("qr/<slug:platform>/<slug:kind>/<int:pk>/", views.qr, name="qr"),
    path("qr/<slug:platform>/<slug:kind>/<int:pk>.svg", views.qr_svg, name="qr_svg"),
    path(
        "instance/<slug:platform>/<slug:kind>/<int:pk>/",
        views.instance,
        name="instance",
    ),
    path("<slug:platform>/<slug:kind>/<int:pk>/", views.share, name="share"),
]
