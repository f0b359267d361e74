"""The comments' own endpoints. Include under any prefix, e.g.
``path("community/comments/", include("community.comments.urls"))``."""

from django.urls import path

from community.comments import views

app_name = "community_comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("<int:pk>/like/", views.like, name="like"),
    path("<int:pk>/flag/", views.flag, name="flag"),
    path("<int:pk>/follow/", views.follow, name="follow"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("unfollow/<str:token>/", views.unfollow, name="unfollow"),
    path(
        "for/<str:content_type>/<str:object_pk>/",
        views.thread_page,
        name="threads",
    ),
]
