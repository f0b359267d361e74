"""Shared pieces of the campaigns tests: a campaign index and campaigns in
each state under the default site's root, members old enough to vote."""

import datetime
import itertools

from django.utils import timezone
from wagtail.models import Page, Site

from community.campaigns.models import CampaignIndexPage, CampaignPage, Entry
from tests.factories import MemberFactory, PostFactory

_slugs = itertools.count(1)
_offsets = itertools.count(100_000, 1_000)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def home_page():
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_page.specific if site else Page.get_first_root_page()


def make_index(home=None):
    home = home or home_page()
    index = CampaignIndexPage(title="Campaigns", slug=f"campaigns-{next(_slugs)}")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_campaign(index, *, opened=-DAY, closes=DAY, **fields):
    """A campaign that opened `opened` ago (negative: in the past) and
    closes in `closes`, relative to now."""
    now = timezone.now()
    defaults = {
        "title": "Spring photo contest",
        "slug": f"spring-{next(_slugs)}",
        "starts_at": now + opened,
        "ends_at": now + closes,
        "allow_photos": True,
        "allow_stories": True,
        "allow_reviews": False,
        "allow_questions": False,
        "moderation": "post",
        "who_may_post": "verified",
        "votes_per_day": 3,
    }
    defaults.update(fields)
    campaign = CampaignPage(**defaults)
    index.add_child(instance=campaign)
    campaign.save_revision().publish()
    campaign.refresh_from_db()
    return campaign


def voter(**fields):
    """A member with a verified e-mail whose account is two days old."""
    fields.setdefault("date_joined", timezone.now() - 2 * DAY)
    member = MemberFactory(**fields)
    return member


def make_entry(campaign, **fields):
    post = PostFactory(board=campaign, kind="story", **fields)
    # Entries' ids apart from their posts' (URLs name the post), so a test
    # cannot pass by mixing them up.
    entry = Entry.objects.get(post=post)
    Entry.objects.filter(pk=entry.pk).update(id=entry.pk + next(_offsets))
    return Entry.objects.get(post=post)
