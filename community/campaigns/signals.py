"""The campaigns' signal handlers, connected in `AppConfig.ready()`: a post
written on a campaign becomes an entry; a sign-up that came through a
member's link is attributed to them."""

from allauth.account.signals import user_signed_up
from django.db.models.signals import post_save

from community.campaigns.models import CampaignPage, Entry
from community.campaigns.referrals import attribute_signup
from community.posts.models import Post


def on_post_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    campaign = CampaignPage.objects.filter(pk=instance.board_id).only("pk").first()
    if campaign is not None:
        Entry.objects.get_or_create(post=instance, defaults={"campaign": campaign})


def on_user_signed_up(sender, request, user, **kwargs):
    attribute_signup(request, user)


def connect():
    post_save.connect(on_post_saved, sender=Post, dispatch_uid="community_campaigns")
    user_signed_up.connect(on_user_signed_up, dispatch_uid="community_campaigns")
