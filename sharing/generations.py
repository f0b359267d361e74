"""Cached values that one change retires all at once.

A `Generation` names a family of cache entries built from the same data (the
menus of every site and language, what every page of a site shows of its
sharing settings...). Each entry is stored with the generation it was built
in and used only while that generation is current; `bump()`, connected to the
signals of whatever the entries are built from, starts a new generation, so
that every process (they share SHARING_CACHE_ALIAS: Redis in production) sees
the change on its next request. Reading an entry and the generation is one
cache round trip.

Why a generation rather than deleting keys: a change (a page moved, an
account added, a language's share buttons edited) touches entries of sites
and languages its signal handler cannot list, and such changes are rare next
to reads, so retiring the family is both exact and cheap. Entries also expire
after their timeout, which bounds what a change made without signals (a
queryset update) leaves behind."""

import uuid

from django.core.cache import caches
from django.db import transaction

from . import app_settings


class Generation:
    def __init__(self, name):
        self.name = name
        self.key = f"{name}:generation"

    @property
    def cache(self):
        return caches[app_settings.CACHE_ALIAS]

    def get(self, key, build, timeout):
        """The value cached as `key` in the current generation; else
        `build()`, stored for `timeout` seconds."""
        cache = self.cache
        key = f"{self.name}:{key}"
        found = cache.get_many([self.key, key])
        generation, entry = found.get(self.key), found.get(key)
        if generation is not None and entry is not None and entry[0] == generation:
            return entry[1]
        if generation is None:
            generation = uuid.uuid4().hex
            if not cache.add(self.key, generation, None):
                generation = cache.get(self.key)
        # The generation was read before the data: a change committed while
        # `build` runs starts a newer one, and this entry is never used.
        value = build()
        if generation is not None:
            cache.set(key, (generation, value), timeout)
        return value

    def bump(self, **kwargs):
        """Retire every entry, now and again when the transaction commits (a
        request in between may have cached what was not committed yet). Takes
        a signal's arguments, so it can be connected as a receiver."""
        self.renew()
        transaction.on_commit(self.renew)

    def renew(self):
        """Retire every entry now (for changes outside the database, such as
        settings)."""
        self.cache.set(self.key, uuid.uuid4().hex, None)
