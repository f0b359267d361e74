from django.conf import settings
from django.core.cache import cache


def clear_cache():
    """Empties this test process's part of the cache. On Redis (CI's
    PostgreSQL + Redis run) `cache.clear()` would flush the whole database,
    under the feet of the other xdist workers: delete only this process's keys
    (the test settings give each process its own key prefix), whatever their
    version (Wagtail caches its site root paths under version 2). The share
    endpoint's in-process copies go too."""
    from sharing.snapshots import forget_local

    forget_local()
    if not hasattr(cache, "delete_pattern"):
        cache.clear()
        return
    client = cache.client.get_client(write=True)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
