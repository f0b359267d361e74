"""Demo listening beyond the site: while the sandbox is on, two sources that
point at its imitation news feed and Mastodon #tea timeline
(socialsite/sandbox/listening.py), fetched once at once so the listening
report shows external mentions right after ``make run``; and, always, alert
rules on the brand (a spike, a negative surge, a far-reaching account) for
the demo editor. Idempotent."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from community.insights import alerts, ingest
from community.insights.models import AlertRule, KeywordGroup, Source
from socialsite.sandbox import listening as sandbox

BRAND = "Cloudmist Tea"


def sandbox_sources():
    """(name, connector, config) of the demo sources at the sandbox."""
    return [
        ("Tea Trade Weekly (sandbox feed)", "rss", {"url": sandbox.feed_url()}),
        (
            "Mastodon #tea (sandbox)",
            "mastodon",
            {"instance_url": sandbox.mastodon_url(), "hashtag": sandbox.HASHTAG},
        ),
    ]


RULES = [
    # (name, kind, fields)
    ("Cloudmist: spike of mentions", "spike", {"ratio": 3, "min_count": 5}),
    ("Cloudmist: negative surge", "negative", {"ratio": 2, "min_count": 3}),
    (
        "Cloudmist: far-reaching account",
        "account",
        {"min_count": 1, "min_reach": 10_000, "window": 24 * 60},
    ),
]


def build_listening(site=None):
    """Create the demo's sources and alert rules; fetch the sandbox sources
    once. Returns the sources created or found."""
    sources = []
    group = KeywordGroup.objects.filter(name=BRAND).first()
    with transaction.atomic():
        if group is not None:
            editor = get_user_model().objects.filter(username="editor").first()
            for name, kind, fields in RULES:
                rule, created = AlertRule.objects.get_or_create(
                    name=name, defaults={"group": group, "kind": kind, **fields}
                )
                if created and editor is not None:
                    rule.recipients.add(editor)
        if getattr(settings, "SOCIAL_LOGIN_SANDBOX", False):
            for name, connector, config in sandbox_sources():
                source, _created = Source.objects.get_or_create(
                    name=name,
                    defaults={"connector": connector, "config": config, "site": site},
                )
                sources.append(source)
    created = 0
    for source in sources:
        if source.last_ok_at is None:
            created += ingest.fetch(source).get("created", 0)
    if created:
        # The alert history shows what the rules make of the fetched mentions.
        alerts.evaluate()
    return sources
