"""A member's own referral numbers (campaign pages route their own entries,
votes and surveys). Include under any prefix, e.g.
``path("community/campaigns/", include("community.campaigns.urls"))``."""

from django.urls import path

from community.campaigns import views

app_name = "community_campaigns"

urlpatterns = [path("referrals/", views.my_referrals, name="referrals")]
