"""E-mails of the campaigns: winners are told they won."""

from django.utils import timezone
from django_tasks import task

from community.campaigns.models import Entry
from community.notifications import send


@task()
def send_winner_notice(entry_id):
    """Tell the author of a winning entry, once."""
    entry = (
        Entry.objects.select_related("post__author", "campaign")
        .filter(pk=entry_id, winner_rank__isnull=False, notified_at__isnull=True)
        .first()
    )
    if entry is None or entry.post.author is None or not entry.post.author.email:
        return False
    campaign = entry.campaign
    send(
        "community_campaigns/email/winner",
        entry.post.author.email,
        entry.post.language or campaign.locale.language_code,
        {
            "entry": entry,
            "campaign": campaign,
            "campaign_url": campaign.get_full_url() or "",
        },
    )
    Entry.objects.filter(pk=entry.pk).update(notified_at=timezone.now())
    return True


def notify_winners(entry_ids):
    for entry_id in entry_ids:
        send_winner_notice.enqueue(entry_id)
