"""Where the page cache keeps its pages, and how it tells a fresh one from a
stale one.

Four kinds of keys, in the cache SHARING_PAGE_CACHE_ALIAS names:

- ``pagecache:page:<digest>``: a stored response (`Entry`), with the tags of
  what it shows and the clock value read when its rendering started.
- ``pagecache:clock``: a counter that every invalidation advances.
- ``pagecache:stamp:<tag>``: the clock value of the last invalidation of a tag.
  A page is fresh while every one of its tags' stamps is at most its own
  clock value: a change committed while the page was being rendered advances
  the clock after the rendering read it, so such a page is never served. The
  stamps are read on every hit, so an LRU cache keeps them longest.
- ``pagecache:urls:<tag>``: the pages stored with a tag (their keys and
  URLs), so an invalidation deletes them at once and tells a CDN which URLs to
  purge.

On Redis (django-redis) stamps only grow (a small Lua script) and the URL sets
are Redis sets; on other caches the same is done under a short lock, which is
good enough for one process (local memory in development)."""

import hashlib
import time
from dataclasses import dataclass, field

from django.core.cache import caches

from .. import app_settings

CLOCK = "pagecache:clock"

#: Seconds a lock of the non-Redis path is held at most, and how long to wait.
LOCK_SECONDS = 5
LOCK_WAIT = 0.5

#: Sets a stamp to max(stamp, value) and renews its expiry, atomically.
RAISE_STAMP = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
else
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return 1
"""


def get_cache():
    return caches[app_settings.PAGE_CACHE_ALIAS]


def _digest(text):
    return hashlib.blake2b(
        text.encode("utf-8", "backslashreplace"), digest_size=16
    ).hexdigest()


def page_key(parts):
    """The key of a stored page, from what names it (URL, language...)."""
    return f"pagecache:page:{_digest(chr(0).join(parts))}"


def stamp_key(tag):
    return f"pagecache:stamp:{_digest(tag)}"


def urls_key(tag):
    return f"pagecache:urls:{_digest(tag)}"


@dataclass
class Entry:
    """A stored response: what a hit sends back, and what it depends on."""

    status: int
    headers: list
    content: bytes
    tags: list
    clock: int
    #: (counter name, args) to run on each serve: see pagecache.on_view.
    views: list = field(default_factory=list)


def _redis_client(cache):
    """The raw Redis client of a django-redis cache, else None."""
    client = getattr(cache, "client", None)
    get_client = getattr(client, "get_client", None)
    if get_client is None:
        return None
    return get_client(write=True)


def _seed_clock(cache):
    # A clock that went missing (evicted, flushed) starts again from the time
    # in milliseconds, above any value it had: stored pages never look fresher
    # than they are.
    cache.add(CLOCK, int(time.time() * 1000), None)
    return cache.get(CLOCK) or 0


def lookup(key):
    """(entry or None, the clock now). The entry is None when missing or
    stale: some tag of it was invalidated after its rendering started."""
    cache = get_cache()
    found = cache.get_many([key, CLOCK])
    clock = found.get(CLOCK)
    if clock is None:
        clock = _seed_clock(cache)
    entry = found.get(key)
    if not isinstance(entry, Entry) or not is_fresh(cache, entry):
        entry = None
    return entry, clock


def is_fresh(cache, entry):
    stamps = cache.get_many([stamp_key(tag) for tag in entry.tags])
    return all(stamp <= entry.clock for stamp in stamps.values())


def _index_timeout():
    """How long a URL set is kept: as long as a page, plus what a CDN may
    keep a copy it fetched at the end of that page's life."""
    return app_settings.PAGE_CACHE_TIMEOUT + app_settings.PAGE_CACHE_S_MAXAGE + 60


def _stamp_timeout():
    # Any page older than this is gone from the cache: its stamps may go too.
    return app_settings.PAGE_CACHE_TIMEOUT + 60


def save(key, url, entry):
    """Store `entry` and list it under each of its tags."""
    cache = get_cache()
    cache.set(key, entry, app_settings.PAGE_CACHE_TIMEOUT)
    member = f"{key} {url}"
    timeout = _index_timeout()
    redis = _redis_client(cache)
    if redis is not None:
        with redis.pipeline(transaction=False) as pipe:
            for tag in entry.tags:
                name = cache.make_key(urls_key(tag))
                pipe.sadd(name, member)
                pipe.expire(name, timeout)
            pipe.execute()
        return
    for tag in entry.tags:
        _locked_update(cache, urls_key(tag), lambda members: members | {member})


def invalidate(tags):
    """Mark `tags` changed now: the pages showing them are stale from this
    moment. Returns the URLs those pages were served at (for a CDN purge)."""
    tags = sorted(set(tags))
    if not tags:
        return set()
    cache = get_cache()
    try:
        clock = cache.incr(CLOCK)
    except ValueError:
        _seed_clock(cache)
        clock = cache.incr(CLOCK)
    redis = _redis_client(cache)
    members = set()
    if redis is not None:
        raise_stamp = redis.register_script(RAISE_STAMP)
        names = [cache.make_key(urls_key(tag)) for tag in tags]
        with redis.pipeline(transaction=False) as pipe:
            for tag in tags:
                raise_stamp(
                    keys=[cache.make_key(stamp_key(tag))],
                    args=[clock, _stamp_timeout()],
                    client=pipe,
                )
            for name in names:
                pipe.smembers(name)
            pipe.delete(*names)
            results = pipe.execute()
        for found in results[len(tags) : len(tags) * 2]:
            members.update(value.decode("utf-8", "replace") for value in found)
    else:
        for tag in tags:
            _locked_update(
                cache,
                stamp_key(tag),
                lambda stamp: max(stamp or 0, clock),
                default=0,
                timeout=_stamp_timeout(),
            )
            members |= cache.get(urls_key(tag)) or set()
            cache.delete(urls_key(tag))
    keys, urls = set(), set()
    for member in members:
        key, _, url = member.partition(" ")
        keys.add(key)
        urls.add(url)
    if keys:
        cache.delete_many(sorted(keys))
    return urls


def _locked_update(cache, key, change, default=frozenset(), timeout=None):
    """cache[key] = change(cache[key]) under a lock made of `cache.add`."""
    lock = f"{key}:lock"
    deadline = time.monotonic() + LOCK_WAIT
    while not cache.add(lock, 1, LOCK_SECONDS):
        if time.monotonic() > deadline:
            break  # a stuck lock: update anyway rather than lose the change
        time.sleep(0.002)
    try:
        current = cache.get(key, default)
        cache.set(key, change(current), timeout or _index_timeout())
    finally:
        cache.delete(lock)
