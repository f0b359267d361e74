"""The listening digest: per subscribed editor, by e-mail, the mentions of
each keyword group over the last day or week and the groups whose negative
mentions spiked against the period before."""

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from community.insights import app_settings
from community.insights.aggregates import day_bounds
from community.insights.metrics import LISTENING_PERMISSION
from community.insights.models import DigestSubscription, KeywordGroup, Mention
from community.notifications import send

PERIOD_DAYS = {"daily": 1, "weekly": 7}


def digest(frequency, today=None):
    """What a digest tells for `frequency`: the period ending yesterday."""
    days = PERIOD_DAYS[frequency]
    today = today or timezone.localdate()
    end = today - datetime.timedelta(days=1)
    start = end - datetime.timedelta(days=days - 1)
    before_start = start - datetime.timedelta(days=days)
    current = (day_bounds(start)[0], day_bounds(end)[1])
    previous = (day_bounds(before_start)[0], current[0])

    def counts(bounds):
        rows = (
            Mention.objects.filter(created_at__gte=bounds[0], created_at__lt=bounds[1])
            .values("group_id", "sentiment")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {(row["group_id"], row["sentiment"]): row["n"] for row in rows}

    now_counts, before_counts = counts(current), counts(previous)
    groups = []
    for group in KeywordGroup.objects.all():
        total = sum(now_counts.get((group.pk, mood), 0) for mood in PERIOD_MOODS)
        negative = now_counts.get((group.pk, "negative"), 0)
        negative_before = before_counts.get((group.pk, "negative"), 0)
        spike = negative >= max(
            app_settings.DIGEST_SPIKE_MIN,
            app_settings.DIGEST_SPIKE_RATIO * negative_before,
        )
        if total or spike:
            groups.append(
                SimpleNamespace(
                    name=group.name,
                    total=total,
                    positive=now_counts.get((group.pk, "positive"), 0),
                    negative=negative,
                    negative_before=negative_before,
                    spike=spike,
                )
            )
    negatives = list(
        Mention.objects.filter(
            created_at__gte=current[0], created_at__lt=current[1], sentiment="negative"
        )
        .select_related("group")
        .order_by("-created_at")[:5]
    )
    return SimpleNamespace(
        frequency=frequency,
        start=start,
        end=end,
        groups=groups,
        spikes=[group for group in groups if group.spike],
        negatives=negatives,
        total=sum(group.total for group in groups),
    )


PERIOD_MOODS = ("positive", "neutral", "negative")


@task()
def send_insights_digest(frequency):
    """E-mail the digest to every active editor subscribed at `frequency` who
    may see the listening report. Nothing is sent for a period without
    mentions. Returns how many e-mails were sent."""
    content = digest(frequency)
    if not content.total:
        return 0
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    context = {
        "digest": content,
        "report_url": base + reverse("community_insights:listening"),
        "settings_url": base + reverse("community_insights:digest"),
    }
    sent = 0
    subscriptions = DigestSubscription.objects.filter(
        frequency=frequency, user__is_active=True
    ).select_related("user")
    for subscription in subscriptions:
        user = subscription.user
        if not user.email or not user.has_perm(LISTENING_PERMISSION):
            continue
        language = getattr(
            getattr(user, "wagtail_userprofile", None), "preferred_language", ""
        )
        send("community_insights/email/insights_digest", user.email, language, context)
        subscription.last_sent_at = timezone.now()
        subscription.save(update_fields=["last_sent_at"])
        sent += 1
    return sent
