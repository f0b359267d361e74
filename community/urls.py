from django.urls import path  # noqa: F401

from . import accounts_views

app_name = "community"

urlpatterns = []

urlpatterns += [
    path("members/<str:key>/", accounts_views.member, name="member"),
    path("account/", accounts_views.account_settings, name="account_settings"),
    path("account/export/", accounts_views.account_export, name="account_export"),
    path("account/delete/", accounts_views.account_delete, name="account_delete"),
]
