from django.urls import path

from community.insights.views import DigestView, EngagementView, ListeningView

app_name = "community_insights"

urlpatterns = [
    path("", EngagementView.as_view(), name="engagement"),
    path("listening/", ListeningView.as_view(), name="listening"),
    path("digest/", DigestView.as_view(), name="digest"),
]
