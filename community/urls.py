"""Members' pages: public profiles and their own account settings. Include
under any prefix, e.g. ``path("community/", include("community.urls"))``."""

from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("members/<str:key>/", views.member, name="member"),
    path("account/", views.account_settings, name="account_settings"),
    path("account/export/", views.account_export, name="account_export"),
    path("account/delete/", views.account_delete, name="account_delete"),
]
