"""Counting in the database: one upsert per count, at once. The default
without Redis (SQLite in development); nothing to flush."""

from django.core.cache import caches

from ..models import ShareCount
from . import FlushResult

#: Prefix of the cache keys that mark a visitor's count (see `count(once=)`).
SEEN_PREFIX = "sharing:seen:"


class DatabaseCounterBackend:
    def __init__(self, alias):
        self.alias = alias

    def count(self, bucket, once=None, window=None):
        if once is not None and not caches[self.alias].add(
            SEEN_PREFIX + once, 1, window
        ):
            return False
        ShareCount.add_counts([bucket.row(1)])
        return True

    def flush(self):
        return FlushResult()
