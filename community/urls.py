from django.urls import path  # noqa: F401

from community import comments_views, posts_views

from . import accounts_views

app_name = "community"

urlpatterns = []

urlpatterns += [
    path("members/<str:key>/", accounts_views.member, name="member"),
    path("account/", accounts_views.account_settings, name="account_settings"),
    path("account/export/", accounts_views.account_export, name="account_export"),
    path("account/delete/", accounts_views.account_delete, name="account_delete"),
]

# Comments.
urlpatterns += [
    path("comments/post/", comments_views.post_comment, name="comments_post"),
    path("comments/<int:pk>/like/", comments_views.like, name="comments_like"),
    path("comments/<int:pk>/flag/", comments_views.flag, name="comments_flag"),
    path("comments/<int:pk>/follow/", comments_views.follow, name="comments_follow"),
    path("comments/<int:pk>/edit/", comments_views.edit, name="comments_edit"),
    path("comments/<int:pk>/delete/", comments_views.delete, name="comments_delete"),
    path(
        "comments/unfollow/<str:token>/",
        comments_views.unfollow,
        name="comments_unfollow",
    ),
    path(
        "comments/for/<str:content_type>/<str:object_pk>/",
        comments_views.thread_page,
        name="comments_threads",
    ),
]

# Posts: boards route their own posts; the site-wide feed lives here.
urlpatterns += [path("posts/", posts_views.community_feed, name="feed")]
