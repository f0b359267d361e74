"""Demo listening: keyword groups for the brand, two products and a
competitor, a few comments that mention them (in both languages, good and
bad), a few weeks of shares, then the insights aggregates. Idempotent."""

import datetime

from django.db import transaction
from django.utils import timezone

from community.insights.aggregates import refresh_range
from community.insights.models import KeywordGroup
from community.insights.signals import rescan_mentions
from sharing.models import ShareCount
from socialsite.website.demo.comments import demo_members, ensure_comment

GROUPS = [
    # (name, kind, English keywords, Chinese keywords)
    ("Cloudmist Tea", "brand", "Cloudmist\nCloudmist Tea", "云雾\n云雾茶"),
    ("Longjing", "product", "Longjing\nDragon Well", "龙井\n明前龙井"),
    ("Anji white tea", "product", "Anji\nwhite tea", "安吉白茶\n白茶"),
    ("Jade Leaf", "competitor", "Jade Leaf", "玉叶"),
]

# (page key, author, text, days ago); never by the demo visitor, whose own
# comments would change what the visitor sees in the browser tests.
MENTIONS = [
    (
        "article_en",
        "sam",
        "Cloudmist's Longjing is the best green tea I have had this year.",
        1,
    ),
    (
        "product_en",
        "linmei",
        "Jade Leaf was cheaper but the leaves arrived stale. Cloudmist it is.",
        9,
    ),
    ("article_zh", "linmei", "云雾的安吉白茶很清香，推荐！", 2),
    ("article_zh", "linmei", "玉叶的茶太贵了，而且发货很慢，有点失望。", 3),
    (
        "product_en",
        "sam",
        "My Cloudmist tin arrived damaged, a bit disappointed.",
        4,
    ),
]

# Shares and share-driven visits per platform over the last 28 days.
SHARES = {"weibo": (3, 7), "wechat": (4, 9), "x": (1, 2), "linkedin": (1, 1)}


def build_insights(article_en, product_en, zh_locale):
    with transaction.atomic():
        for name, kind, keywords_en, keywords_zh in GROUPS:
            KeywordGroup.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "keywords_en": keywords_en,
                    "keywords_zh": keywords_zh,
                },
            )
        members = demo_members()
        pages = {
            "article_en": article_en,
            "article_zh": article_en.get_translation(zh_locale).specific,
            "product_en": product_en,
        }
        for page_key, author, text, days_ago in MENTIONS:
            ensure_comment(pages[page_key], author, text, days_ago, members)
        build_shares(article_en, product_en)
    rescan_mentions.call()
    today = timezone.localdate()
    refresh_range(today - datetime.timedelta(days=60), today)


def build_shares(article_en, product_en):
    """Daily share counts, set (not added) so a second run changes nothing."""
    today = timezone.localdate()
    site = article_en.get_site()
    for days_ago in range(28):
        day = today - datetime.timedelta(days=days_ago)
        for index, (platform, (shares, visits)) in enumerate(SHARES.items()):
            wave = (days_ago * 7 + index * 3) % 5
            for event, base in (("share", shares), ("visit", visits)):
                for page in (article_en, product_en):
                    count = base + wave - (page is product_en)
                    if count <= 0:
                        continue
                    ShareCount.objects.update_or_create(
                        day=day,
                        site=site,
                        event=event,
                        platform=platform,
                        object_kind="page",
                        object_id=page.pk,
                        defaults={"count": count},
                    )
