"""Counting in Redis, flushed to the database in batches, each exactly once.

A count is one Lua script, one round trip: mark the visitor (SET NX EX; a
repeat within the window stops here), add one to the bucket's field of the
live hash (HINCRBY), and mark a flush as pending (SET NX EX). When that mark
is new, the flush task is enqueued to run SHARING_COUNTER_FLUSH_INTERVAL
seconds later; the mark expires after a minute more, so a lost task is
scheduled again by a later count (and `manage.py flush_share_counts` from
cron catches the rest).

A flush

1. drops the pending mark: a count from now on schedules another flush;
2. renames the live hash to a batch of its own and registers the batch, in
   one script (counts made from now on start a new live hash);
3. for every registered batch, the new one and any that a stopped flush
   left, reads it and, in one durable database transaction, records the
   batch id (`FlushedShareBatch`) and adds its counts
   (`ShareCount.add_counts`), unless the id is recorded already;
4. deletes the batch and its registration.

A flush that stops before its commit leaves the batch registered, and the
next flush adds it; one that stops after the commit leaves it registered
too, and the next flush finds the id recorded and only deletes it. Two
flushes at once add a batch once (the id is a primary key). So counts are
neither lost nor doubled, whatever stops where.

The keys carry the hash tag {sharing:counts} (one slot of a Redis cluster,
as the scripts need) under the cache's key prefix. Only the marks expire:
a Redis that evicts keys must use a volatile-* policy or noeviction.
"""

import datetime
import logging
import re
import uuid

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_redis import get_redis_connection
from redis.exceptions import RedisError
from wagtail.models import Site

from .. import app_settings
from ..models import FlushedShareBatch, ShareCount
from ..tasks import schedule_flush
from . import Bucket, FlushResult

logger = logging.getLogger(__name__)

TAG = "{sharing:counts}"

#: KEYS: live hash, pending mark[, visitor mark]; ARGV: field, pending mark's
#: TTL[, window]. Returns -1 (a repeat: not counted), 0 (counted) or 1
#: (counted, and a flush must be scheduled).
COUNT_SCRIPT = """
if KEYS[3] and not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[3]) then
  return -1
end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
  return 1
end
return 0
"""

#: KEYS: live hash, new batch, registered batches; ARGV: the batch id.
ROTATE_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
"""

#: A recorded batch id is pruned after this, once Redis no longer holds it.
KEEP_FLUSHED = datetime.timedelta(days=1)
#: Seconds between two prunings.
PRUNE_EVERY = 3600

BATCH_ID = re.compile(r"[0-9a-f]{32}")


class Keys:
    """The backend's Redis keys, under the cache's key prefix."""

    def __init__(self, cache):
        self.make_key = cache.make_key
        self.live = self.make_key(f"{TAG}:live")
        self.batches = self.make_key(f"{TAG}:batches")
        self.pending = self.make_key(f"{TAG}:pending")
        self.pruned = self.make_key(f"{TAG}:pruned")

    def batch(self, batch_id):
        return self.make_key(f"{TAG}:batch:{batch_id}")

    def seen(self, once):
        return self.make_key(f"{TAG}:seen:{once}")


class RedisCounterBackend:
    def __init__(self, alias):
        self.alias = alias
        self.scripts = {}

    def connection(self):
        return get_redis_connection(self.alias)

    def keys(self):
        return Keys(caches[self.alias])

    def script(self, source, connection):
        if source not in self.scripts:
            self.scripts[source] = connection.register_script(source)
        return self.scripts[source]

    def count(self, bucket, once=None, window=None):
        connection = self.connection()
        keys = self.keys()
        script_keys = [keys.live, keys.pending]
        args = [bucket.field(), int(app_settings.COUNTER_FLUSH_INTERVAL) + 60]
        if once is not None:
            script_keys.append(keys.seen(once))
            args.append(max(1, int(window)))
        try:
            state = self.script(COUNT_SCRIPT, connection)(
                keys=script_keys, args=args, client=connection
            )
        except RedisError:
            # Better one write than a lost count (or a failed share).
            logger.warning("Redis unavailable: share counted in the database")
            ShareCount.add_counts([bucket.row(1)])
            return True
        if state < 0:
            return False
        if state == 1:
            schedule_flush()
        return True

    def flush(self):
        connection = self.connection()
        keys = self.keys()
        connection.delete(keys.pending)
        batch_id = uuid.uuid4().hex
        self.script(ROTATE_SCRIPT, connection)(
            keys=[keys.live, keys.batch(batch_id), keys.batches],
            args=[batch_id],
            client=connection,
        )
        result, failure = FlushResult(), None
        for member in sorted(connection.smembers(keys.batches)):
            batch_id = member.decode()
            if not BATCH_ID.fullmatch(batch_id):
                connection.srem(keys.batches, member)
                continue
            try:
                result.add(self.flush_batch(connection, keys, batch_id))
            except Exception as error:
                # The batch stays registered for the next flush; the others
                # go on.
                logger.exception("Share counts of batch %s not flushed", batch_id)
                failure = failure or error
        if failure is not None:
            raise failure
        self.prune(connection, keys)
        return result

    def flush_batch(self, connection, keys, batch_id):
        counts = {}
        for field, value in connection.hgetall(keys.batch(batch_id)).items():
            try:
                bucket, n = Bucket.from_field(field), int(value)
            except ValueError:
                logger.warning("Malformed share counter dropped: %r", field)
                continue
            if n > 0:
                counts[bucket] = counts.get(bucket, 0) + n
        result = self.apply(batch_id, counts) if counts else FlushResult()
        self.forget(connection, keys, batch_id)
        return result

    def apply(self, batch_id, counts):
        """Record the batch and add its counts in one transaction, unless it
        was recorded before (then nothing is added). Counts of a site deleted
        since are dropped (its counters were deleted with it)."""
        with transaction.atomic(durable=True):
            try:
                with transaction.atomic():
                    FlushedShareBatch.objects.create(batch_id=batch_id)
            except IntegrityError:
                return FlushResult()
            sites = set(
                Site.objects.filter(
                    pk__in={bucket.site_id for bucket in counts}
                ).values_list("pk", flat=True)
            )
            rows = [
                bucket.row(n) for bucket, n in counts.items() if bucket.site_id in sites
            ]
            ShareCount.add_counts(rows)
        return FlushResult(1, len(rows), sum(row[-1] for row in rows))

    def forget(self, connection, keys, batch_id):
        """Delete a flushed batch from Redis."""
        pipeline = connection.pipeline(transaction=True)
        pipeline.delete(keys.batch(batch_id))
        pipeline.srem(keys.batches, batch_id)
        pipeline.execute()

    def prune(self, connection, keys):
        """Delete old records of flushed batches (hourly)."""
        if not connection.set(keys.pruned, "1", nx=True, ex=PRUNE_EVERY):
            return
        registered = {member.decode() for member in connection.smembers(keys.batches)}
        FlushedShareBatch.objects.filter(
            flushed_at__lt=timezone.now() - KEEP_FLUSHED
        ).exclude(batch_id__in=registered).delete()

    def waiting(self):
        """{bucket: n}: the counts not in the database yet (the live hash and
        the registered batches not recorded as flushed)."""
        connection = self.connection()
        keys = self.keys()
        registered = {member.decode() for member in connection.smembers(keys.batches)}
        flushed = set(
            FlushedShareBatch.objects.filter(batch_id__in=registered).values_list(
                "batch_id", flat=True
            )
        )
        names = [keys.live] + [keys.batch(name) for name in registered - flushed]
        counts = {}
        for name in names:
            for field, value in connection.hgetall(name).items():
                try:
                    bucket = Bucket.from_field(field)
                except ValueError:
                    continue
                counts[bucket] = counts.get(bucket, 0) + int(value)
        return counts
