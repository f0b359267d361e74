from django.urls import path

from .admin_views import ShareReportView

app_name = "sharing_reports"

urlpatterns = [
    path("", ShareReportView.as_view(), name="shares"),
    path("results/", ShareReportView.as_view(results_only=True), name="shares_results"),
]
