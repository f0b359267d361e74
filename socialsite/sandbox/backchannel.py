"""The URLs the in-process transport (transport.py) resolves: the same
imitation servers, under the same prefix as in the site's own URLconf."""

from django.urls import include, path

urlpatterns = [path("sandbox-oauth/", include("socialsite.sandbox.urls"))]
