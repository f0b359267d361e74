"""The site-wide feed of posts (boards route their own posts). Include under
any prefix, e.g. ``path("community/posts/", include("community.posts.urls"))``."""

from django.urls import path

from community.posts import views

app_name = "community_posts"

urlpatterns = [path("", views.community_feed, name="feed")]
