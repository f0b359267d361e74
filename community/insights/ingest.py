"""Items from outside the site into listening: fetch a source with back-off,
store each item once (same normalised URL or same text = a duplicate), and
record its mentions through the listening matcher
(:func:`community.insights.listening.matching_groups` and
:func:`~community.insights.listening.sentiment`).

Every source fails alone: a fetch that raises, times out or returns garbage
records a plain-words reason on the source and waits longer before the next
try (doubling the interval up to COMMUNITY_INSIGHTS_FETCH_MAX_BACKOFF);
the other sources go on.
"""

import datetime
import hashlib
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from community.cjk import has_cjk
from community.insights import app_settings
from community.insights.aggregates import schedule_refresh
from community.insights.listening import excerpt, matching_groups, sentiment
from community.insights.models import ExternalPost, KeywordGroup, Mention, Source
from community.insights.sources.base import (
    MAX_HANDLE,
    MAX_TITLE,
    MAX_URL,
    RateLimited,
    SourceError,
    is_http_url,
    plain,
)
from community.insights.sources.registry import registry

logger = logging.getLogger(__name__)

TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|spm|share_token|igshid)$", re.I)
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,4})?$", re.I)


@dataclass
class StoreResult:
    created: int = 0
    duplicates: int = 0
    skipped: int = 0
    mentions: int = 0
    posts: list = field(default_factory=list)

    def as_dict(self):
        return {
            "created": self.created,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "mentions": self.mentions,
        }


def normalise_url(url):
    """The form of `url` used to recognise a duplicate: an http(s) URL with
    its scheme and host in lower case, no default port, no fragment and no
    tracking parameters (utm_*, fbclid...); "" for anything else."""
    url = plain(url, 2000)
    if not is_http_url(url):
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    scheme = parts.scheme.lower()
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not TRACKING.match(k)
        ]
    )
    normal = urlunsplit((scheme, host, parts.path or "/", query, ""))
    return normal if len(normal) <= MAX_URL else ""


def text_hash(text):
    """What makes two texts "the same": case and whitespace ignored."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest()


def guess_language(text, given=""):
    """The primary subtag of the item's own language tag when it has a sane
    one ("zh-CN" → "zh", "en-us" → "en"), else "zh" for Chinese text, "en"
    for Latin text, "" otherwise: reports filter by these."""
    given = (given or "").strip().replace("_", "-")
    if LANGUAGE.match(given):
        return given.split("-")[0].lower()
    if has_cjk(text):
        return "zh"
    if re.search(r"[A-Za-z]{3}", text):
        return "en"
    return ""


def clean_item(item, now):
    """The ExternalPost fields of an :class:`~.sources.base.Item`, sanitized,
    or None when nothing readable is left."""
    title = plain(item.title, MAX_TITLE)
    text = plain(item.text)
    if not text:
        text = title
    if not text:
        return None
    published = item.published_at or now
    if published > now + datetime.timedelta(hours=1):
        published = now
    return {
        "url": normalise_url(item.url),
        "text_hash": text_hash(text),
        "title": title,
        "text": text,
        "author_handle": plain(item.author_handle, MAX_HANDLE),
        "author_name": plain(item.author_name, MAX_HANDLE),
        "published_at": published,
        "language": guess_language(text, item.language),
        "reach": item.reach,
        "external_id": plain(item.external_id, 200),
    }


def store_items(source, items, *, now=None):
    """Store the new items of `source` and their mentions; duplicates (in the
    database or within `items`) and empty items are counted, not stored."""
    now = now or timezone.now()
    result = StoreResult()
    groups = list(KeywordGroup.objects.filter(active=True))
    content_type = ContentType.objects.get_for_model(ExternalPost)
    seen_urls, seen_hashes = set(), set()
    for item in items:
        fields = clean_item(item, now)
        if fields is None:
            result.skipped += 1
            continue
        url, digest = fields["url"], fields["text_hash"]
        if (url and url in seen_urls) or digest in seen_hashes:
            result.duplicates += 1
            continue
        seen_hashes.add(digest)
        if url:
            seen_urls.add(url)
        duplicate = Q(text_hash=digest) | (Q(url=url) if url else Q(pk__in=[]))
        if ExternalPost.objects.filter(duplicate).exists():
            result.duplicates += 1
            continue
        try:
            with transaction.atomic():
                post = ExternalPost.objects.create(
                    source=source, fetched_at=now, **fields
                )
                result.mentions += record_mentions(post, groups, content_type)
        except IntegrityError:
            # Stored meanwhile by another worker.
            result.duplicates += 1
            continue
        result.created += 1
        result.posts.append(post)
    # The report reads daily rollups: the days of new mentions are refreshed
    # once this transaction commits (a background task).
    schedule_refresh(*(post.published_at for post in result.posts))
    return result


def record_mentions(post, groups, content_type):
    """Create the mentions of one external post; returns how many."""
    text = f"{post.title}\n{post.text}" if post.title not in post.text else post.text
    found = matching_groups(text, groups)
    if not found:
        return 0
    mood = sentiment(text, post.language)
    Mention.objects.bulk_create(
        Mention(
            group=group,
            content_type=content_type,
            object_id=str(post.pk),
            created_at=post.published_at,
            sentiment=mood,
            excerpt=excerpt(post.text),
            origin=post.source,
            language=post.language,
            reach=post.reach,
            author=post.author_handle or post.author_name,
            url=post.url,
        )
        for group in found
    )
    return len(found)


def due_sources(now=None):
    """The active sources whose next fetch is due, of connectors that fetch."""
    now = now or timezone.now()
    fetching = [c.id for c in registry.all() if c.fetches]
    return Source.objects.filter(active=True, connector__in=fetching).filter(
        Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now)
    )


def claim(source, now):
    """Mark `source` as being fetched (its next fetch pushed one interval on)
    unless another worker did it first; True when this one may fetch."""
    pushed = now + datetime.timedelta(minutes=interval_of(source))
    claimed = Source.objects.filter(
        pk=source.pk, next_fetch_at=source.next_fetch_at
    ).update(next_fetch_at=pushed)
    if claimed:
        source.next_fetch_at = pushed
    return bool(claimed)


def interval_of(source):
    return max(source.interval or 0, app_settings.FETCH_MIN_INTERVAL)


def backoff(source, wait_seconds=None):
    """Minutes to wait after `source.failures` failures in a row."""
    minutes = interval_of(source) * 2 ** min(source.failures, 16)
    if wait_seconds:
        minutes = max(minutes, wait_seconds / 60)
    return min(minutes, app_settings.FETCH_MAX_BACKOFF)


def fetch(source, *, now=None):
    """Fetch `source` once and store what is new. Never raises for a failing
    source: the failure is recorded on it. Returns a summary dict."""
    now = now or timezone.now()
    connector = registry.get(source.connector)
    source.last_fetched_at = now
    try:
        if connector is None or not connector.fetches:
            raise SourceError(
                _("No connector %(id)s that fetches is installed.")
                % {"id": source.connector}
            )
        result = connector.fetch(source)
        stored = store_items(source, result.items, now=now)
    except RateLimited as error:
        return fail(source, now, str(error), error.retry_after)
    except SourceError as error:
        return fail(source, now, str(error))
    except Exception as error:  # a connector's bug or data it did not expect
        logger.exception("Listening source %s failed", source.pk)
        return fail(
            source,
            now,
            _("The answer could not be read (%(error)s).")
            % {"error": type(error).__name__},
        )
    if not result.not_modified:
        source.etag = result.etag
        source.last_modified = result.last_modified
    source.cursor = result.cursor or source.cursor
    source.failures = 0
    source.last_error = ""
    source.last_ok_at = now
    source.next_fetch_at = now + datetime.timedelta(minutes=interval_of(source))
    source.save(
        update_fields=[
            "etag",
            "last_modified",
            "cursor",
            "failures",
            "last_error",
            "last_ok_at",
            "last_fetched_at",
            "next_fetch_at",
        ]
    )
    return {"source": source.pk, "ok": True, **stored.as_dict()}


def fail(source, now, reason, wait_seconds=None):
    source.failures += 1
    source.last_error = str(reason)[:500]
    source.next_fetch_at = now + datetime.timedelta(
        minutes=backoff(source, wait_seconds)
    )
    source.save(
        update_fields=["failures", "last_error", "last_fetched_at", "next_fetch_at"]
    )
    logger.warning("Listening source %s failed: %s", source.pk, source.last_error)
    return {"source": source.pk, "ok": False, "error": source.last_error}
