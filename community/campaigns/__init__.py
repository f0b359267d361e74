"""Campaigns: contests with voting, surveys and referral links (label
``community_campaigns``)."""
