"""Fill the database with a large volume of comments and share counts for the
insights benchmark (bench/insights.py): plain INSERT … SELECT statements over
a number series, in batches, so a million rows take seconds to minutes rather
than hours. Then the daily aggregates are computed once, as the nightly task
would. Not for production databases."""

import datetime
import time

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page, Site

from community.comments.models import Comment
from community.insights.aggregates import refresh_range
from community.insights.listening import excerpt, matching_groups, sentiment
from community.insights.models import KeywordGroup

TEXTS = [
    "Cloudmist's Longjing is the best green tea I have had this year.",
    "The tin arrived damaged, Cloudmist support was slow.",
    "Jade Leaf was cheaper but the leaves arrived stale.",
    "I ordered a second box for my parents.",
    "云雾的安吉白茶很清香，推荐！",
    "玉叶的茶太贵了，有点失望。",
    "今天下午泡了一壶龙井。",
    "What water temperature do you use?",
]
GROUPS = [
    ("Cloudmist Tea", "brand", "Cloudmist\nCloudmist Tea", "云雾\n云雾茶"),
    ("Longjing", "product", "Longjing\nDragon Well", "龙井"),
    ("Anji white tea", "product", "Anji\nwhite tea", "安吉白茶\n白茶"),
    ("Jade Leaf", "competitor", "Jade Leaf", "玉叶"),
]
PLATFORMS = ["weibo", "wechat", "x", "linkedin", "douyin", "facebook", "qq", "email"]


def series(n):
    """SQL of a one-column table `g(i)` numbering 0 … n-1."""
    if connection.vendor == "postgresql":
        return f"(SELECT generate_series(0, {int(n) - 1}) AS i) AS g"
    return (
        f"(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s "  # noqa: S608
        f"WHERE i < {int(n) - 1}) SELECT i FROM s) AS g"
    )


def case(expression, values):
    parts = " ".join(f"WHEN {index} THEN %s" for index in range(len(values)))
    return f"(CASE {expression} {parts} END)", list(values)


class Command(BaseCommand):
    help = "Seed comments and share counts in bulk for bench/insights.py."

    def add_arguments(self, parser):
        parser.add_argument("--comments", type=int, default=1_000_000)
        parser.add_argument("--shares", type=int, default=1_000_000)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--batch", type=int, default=100_000)
        parser.add_argument("--skip-aggregate", action="store_true")

    def handle(self, *args, comments, shares, days, batch, skip_aggregate, **opts):
        started = time.monotonic()
        site = Site.objects.get(is_default_site=True)
        pages = list(
            Page.objects.filter(depth__gt=1).values_list("pk", "content_type_id")
        )
        users = self.members(2000)
        for name, kind, en, zh in GROUPS:
            KeywordGroup.objects.get_or_create(
                name=name, defaults={"kind": kind, "keywords_en": en, "keywords_zh": zh}
            )
        end = timezone.now()
        step = days * 86400 / max(comments, 1)
        done = 0
        while done < comments:
            size = min(batch, comments - done)
            with transaction.atomic():
                self.insert_comments(done, size, end, step, pages, users, site)
            done += size
            self.stdout.write(f"  {done} comments ({time.monotonic() - started:.0f} s)")
        done = 0
        while done < shares:
            size = min(batch, shares - done)
            with transaction.atomic():
                self.insert_shares(done, size, days, pages, site)
            done += size
            self.stdout.write(
                f"  {done} share counts ({time.monotonic() - started:.0f} s)"
            )
        seeded = time.monotonic() - started
        self.stdout.write(f"Seeded in {seeded:.0f} s.")
        if not skip_aggregate:
            today = timezone.localdate()
            refresh_range(today - datetime.timedelta(days=days), today)
            took = time.monotonic() - started - seeded
            self.stdout.write(f"Aggregated {days + 1} days in {took:.0f} s.")

    def members(self, count):
        User = get_user_model()
        existing = list(
            User.objects.filter(username__startswith="seed-member-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if len(existing) < count:
            User.objects.bulk_create(
                User(username=f"seed-member-{n}", email=f"seed{n}@example.com")
                for n in range(len(existing), count)
            )
            existing = list(
                User.objects.filter(username__startswith="seed-member-")
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        return existing

    def insert_comments(self, offset, size, end, step, pages, users, site):
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM django_comments")
            first = cursor.fetchone()[0] + 1
            n = f"(g.i + {offset})"
            text_sql, text_params = case(f"({n} %% {len(TEXTS)})", TEXTS)
            page_sql, page_params = case(
                f"({n} %% {len(pages)})", [str(pk) for pk, _ct in pages]
            )
            type_sql, type_params = case(
                f"({n} %% {len(pages)})", [ct for _pk, ct in pages]
            )
            user_sql, user_params = case(f"({n} %% {len(users)})", users)
            end_ts = end.timestamp()
            if connection.vendor == "postgresql":
                when = f"to_timestamp({end_ts} - {n} * {step})"
            else:
                when = f"datetime({end_ts} - {n} * {step}, 'unixepoch')"
            cursor.execute(
                "INSERT INTO django_comments (id, user_name, user_email, user_url, "  # noqa: S608 (numbers and our names)
                "comment, submit_date, ip_address, is_public, is_removed, "
                "content_type_id, site_id, user_id, object_pk) "
                f"SELECT {first} + g.i, 'seed', 'seed@example.com', '', {text_sql}, "
                f"{when}, NULL, {self.true(n)}, {self.false()}, "
                f"{type_sql}, {site.pk}, {user_sql}, {page_sql} FROM {series(size)}",
                text_params + type_params + user_params + page_params,
            )
            cursor.execute(
                "INSERT INTO django_comments_xtd_xtdcomment (comment_ptr_id, "  # noqa: S608 (numbers and our names)
                f"thread_id, parent_id, level, {quote('order')}, followup, "
                f"nested_count) SELECT {first} + g.i, {first} + g.i, "
                f"{first} + g.i, 0, 1, {self.false()}, 0 FROM {series(size)}",
                [],
            )
            state = f"(CASE WHEN {n} %% 50 = 0 THEN 'pending' ELSE 'published' END)"
            cursor.execute(
                "INSERT INTO community_comment (xtdcomment_ptr_id, state, "  # noqa: S608 (numbers and our names)
                "comment_html, is_official, hold_reasons, language, like_count, "
                f"flag_count) SELECT {first} + g.i, {state}, '', {self.false()}, "
                f"'', 'en', 0, 0 FROM {series(size)}",
                [],
            )
            groups = list(KeywordGroup.objects.filter(active=True))
            comment_type = ContentType.objects.get_for_model(Comment).pk
            for index, text in enumerate(TEXTS):
                mood = sentiment(text)
                for group in matching_groups(text, groups):
                    cursor.execute(
                        "INSERT INTO community_mention (object_id, created_at, "  # noqa: S608 (numbers and our names)
                        "sentiment, excerpt, content_type_id, group_id) "
                        f"SELECT CAST(id AS {self.text_type()}), submit_date, %s, "
                        "%s, %s, %s FROM django_comments WHERE id >= %s AND id < %s "
                        f"AND (id - %s + {offset}) %% {len(TEXTS)} = %s",
                        [
                            mood,
                            excerpt(text),
                            comment_type,
                            group.pk,
                            first,
                            first + size,
                            first,
                            index,
                        ],
                    )

    def insert_shares(self, offset, size, days, pages, site):
        """Distinct (day, event, platform, page) rows: a million rows of
        share-event counters (each counting 1 to 5 events)."""
        n = f"(g.i + {offset})"
        per_day = 2 * len(PLATFORMS) * len(pages)
        today = timezone.localdate().isoformat()
        platform_sql, platform_params = case(f"({n} %% {len(PLATFORMS)})", PLATFORMS)
        page_sql, page_params = case(
            f"(({n} / {len(PLATFORMS) * 2}) %% {len(pages)})", [pk for pk, _ct in pages]
        )
        event = (
            f"(CASE WHEN ({n} / {len(PLATFORMS)}) %% 2 = 0 "
            "THEN 'share' ELSE 'visit' END)"
        )
        if connection.vendor == "postgresql":
            day = f"(DATE '{today}' - CAST({n} / {per_day} AS integer))"
        else:
            day = f"date('{today}', '-' || ({n} / {per_day}) || ' days')"
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO sharing_sharecount (day, event, platform, object_kind, "  # noqa: S608 (numbers and our names)
                "object_id, count, site_id) "
                f"SELECT {day}, {event}, {platform_sql}, 'page', {page_sql}, "
                f"1 + {n} %% 5, {site.pk} FROM {series(size)} WHERE 1 = 1 "
                "ON CONFLICT DO NOTHING",
                platform_params + page_params,
            )
        del days

    def true(self, n):
        return f"(CASE WHEN {n} %% 50 = 0 THEN {self.false()} ELSE {self.true_()} END)"

    def true_(self):
        return "TRUE" if connection.vendor == "postgresql" else "1"

    def false(self):
        return "FALSE" if connection.vendor == "postgresql" else "0"

    def text_type(self):
        return "text" if connection.vendor == "postgresql" else "TEXT"
