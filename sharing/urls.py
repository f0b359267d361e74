from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("wechat/config/", views.wechat_config, name="wechat_config"),
    path("qr/<slug:platform>/<slug:kind>/<int:pk>/", views.qr, name="qr"),
    path("qr/<slug:platform>/<slug:kind>/<int:pk>.svg", views.qr_svg, name="qr_svg"),
    path("<slug:platform>/<slug:kind>/<int:pk>/", views.share, name="share"),
]
