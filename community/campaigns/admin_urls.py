from django.urls import path

from community.campaigns.admin_views import CampaignListView, CampaignReportView

app_name = "community_campaigns_admin"

urlpatterns = [
    path("", CampaignListView.as_view(), name="list"),
    path("<int:pk>/", CampaignReportView.as_view(), name="report"),
    path(
        "survey/<int:pk>/",
        CampaignReportView.as_view(),
        {"kind": "survey"},
        name="survey_report",
    ),
]
