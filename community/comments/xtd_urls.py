"""The comments-xtd views the community keeps, under their own URL names:
the e-mail confirmation of anonymous comments (and the "sent" page it may
lead to). Posting, liking and flagging go through the community's views, so
comments-xtd's own like/flag/API endpoints are deliberately not mounted.

Include without a namespace, e.g. ``path("comments/", include(
"community.comments.xtd_urls"))``: comments-xtd reverses these names as is.
"""

from django.urls import path
from django_comments_xtd import views

urlpatterns = [
    path("confirm/<str:key>/", views.confirm, name="comments-xtd-confirm"),
    path("sent/", views.sent, name="comments-xtd-sent"),
]
