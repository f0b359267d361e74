"""Public (non-admin) URLs of the insights app: the inbound webhook of the
listening sources. Include outside any language prefix::

    path("insights/", include("community.insights.urls")),
"""

from django.urls import path

from community.insights import webhook

app_name = "community_insights_public"

urlpatterns = [
    path("sources/<int:source_id>/webhook/", webhook.inbound, name="source_webhook"),
]
