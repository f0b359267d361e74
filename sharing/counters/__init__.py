"""Share clicks and share-driven visits, counted per day, site, event,
platform and object (the rows of `sharing.models.ShareCount`).

`count()` adds one through the configured backend (SHARING_COUNTER_BACKEND):

- `sharing.counters.database.DatabaseCounterBackend` writes one upsert per
  count: the default without Redis (SQLite in development);
- `sharing.counters.redis.RedisCounterBackend` counts in Redis, one round
  trip and no database work, and a background task (`flush()`, also
  `manage.py flush_share_counts`) adds the counts to the database in
  batches, each batch exactly once: the default when the cache is Redis.

A backend is a class built with the cache alias, with
`count(bucket, once=None, window=None) -> bool` and `flush() -> FlushResult`.
"""

import dataclasses
import datetime
import functools
import json
import logging

from django.utils import timezone
from django.utils.module_loading import import_string

from .. import app_settings

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, order=True)
class Bucket:
    """One counter: a row of ShareCount."""

    day: datetime.date
    site_id: int
    event: str
    platform: str
    kind: str
    object_id: int

    def field(self):
        """The bucket as a string (a Redis hash field)."""
        return json.dumps(
            [
                self.day.isoformat(),
                self.site_id,
                self.event,
                self.platform,
                self.kind,
                self.object_id,
            ],
            separators=(",", ":"),
        )

    @classmethod
    def from_field(cls, field):
        """The bucket a field names; ValueError for anything else."""
        try:
            day, site_id, event, platform, kind, object_id = json.loads(field)
            return cls(
                datetime.date.fromisoformat(day),
                int(site_id),
                str(event),
                str(platform),
                str(kind),
                int(object_id),
            )
        except (TypeError, ValueError) as error:
            raise ValueError(f"Not a share counter: {field!r}") from error

    def row(self, n):
        """The row `ShareCount.add_counts` takes: this bucket plus n."""
        return (
            self.day,
            self.site_id,
            self.event,
            self.platform,
            self.kind,
            self.object_id,
            n,
        )


@dataclasses.dataclass
class FlushResult:
    """What a flush moved to the database: batches, counters, counts."""

    batches: int = 0
    counters: int = 0
    counts: int = 0

    def add(self, other):
        self.batches += other.batches
        self.counters += other.counters
        self.counts += other.counts

    def as_dict(self):
        return dataclasses.asdict(self)


@functools.lru_cache(maxsize=4)
def _load(path, alias):
    return import_string(path)(alias)


def backend():
    """The configured counter backend (one instance per path and cache)."""
    return _load(app_settings.COUNTER_BACKEND, app_settings.CACHE_ALIAS)


#: Seconds during which a visitor's repeats count once, unless told otherwise.
DEFAULT_WINDOW = 30 * 60


def count(event, platform_id, obj_key, site_id, *, once=None, window=DEFAULT_WINDOW):
    """Add one to today's counter of `event` ("share" or "visit") for the
    object `obj_key` = (kind, pk) on `platform_id` and site `site_id`.

    `once`: a key naming the visitor and what they did (see
    `sharing.tracking.visitor_key`); then the count happens only the first
    time in `window` seconds. Returns True when counted. With the Redis
    backend this is one Redis round trip and no database query."""
    kind, object_id = obj_key
    bucket = Bucket(
        timezone.localdate(), int(site_id), event, platform_id, kind, int(object_id)
    )
    return backend().count(bucket, once=once, window=window)


def flush():
    """Move the counts waiting in Redis to the database, each exactly once;
    returns a FlushResult (nothing to do with the database backend)."""
    return backend().flush()


def flush_quietly():
    """`flush()` for readers that want the latest counts but must not fail
    (reports, nightly sums): an error is logged and the counts stay in Redis
    for the next flush. Returns the FlushResult, or None after an error."""
    try:
        return flush()
    except Exception:
        logger.warning("Share counts not flushed", exc_info=True)
        return None
