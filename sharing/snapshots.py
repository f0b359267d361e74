"""What the share endpoint needs of a shared object, cached, so that a click
costs no database query: the canonical URL, title, summary and picture URL
that build the platform's intent, the answer to "may it be shared" (live,
public), and the request's Site the click counts for.

A snapshot is cached per object, host and language (the picture's URL and
the Site come from the host, the QR page's path from the language), for
SHARING_SHARE_CACHE_TIMEOUT seconds, in a generation (`sharing.generations`):
a change that may show in share links starts a new one, which retires every
snapshot at once: pages published, unpublished, moved or deleted, view
restrictions, sites, sharing settings (the default picture), images, and
`sharing.signals.shareable_changed` for other kinds (community posts). Such
changes are rare next to clicks, so one generation for all is cheaper than
tracking which snapshots a change touches (a move changes the URLs of a whole
subtree, a view restriction hides one). The generation is read with the
snapshot, in one cache round trip; the timeout bounds changes made without
signals (a queryset update).

On a viral day one article is shared thousands of times a minute: each
process also keeps the snapshots it used for SHARING_SHARE_LOCAL_SECONDS (1 s)
in memory, so that a click costs only the counter's round trip. A change in
the same process clears them at once; other processes see it within that
second."""

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import app_settings
from .generations import Generation
from .links import canonical_url, image_url
from .models import SharingSettings
from .shareables import Shareable, resolve
from .signals import shareable_changed


@dataclass(frozen=True)
class ShareSnapshot(Shareable):
    """A shareable object as cached for the share endpoint."""

    kind: str
    pk: int
    url: str
    title: str
    description: str
    image_url: str
    site_id: int | None

    def get_share_url(self, request=None):
        return self.url

    def get_share_title(self):
        return self.title

    def get_share_description(self):
        return self.description

    def get_share_key(self):
        return self.kind, self.pk


#: The number changes with the shape of the cached data, so that a release
#: never reads what an older one cached.
GENERATION = Generation("sharing:snapshot:1")


def entry_key(request, kind, pk):
    where = f"{request.get_host()}|{request.get_port()}|{translation.get_language()}"
    digest = hashlib.sha256(where.encode()).hexdigest()[:32]
    return f"{kind}:{pk}:{digest}"


#: The process's own copies: entry key -> (monotonic deadline, data).
_local = OrderedDict()
_local_lock = threading.Lock()
#: Bumped by every change: a copy built across one is not kept.
_local_epoch = [0]
LOCAL_MAX_ENTRIES = 1000


def snapshot(request, kind, pk):
    """The object `kind`, `pk` as the share endpoint needs it, or None when it
    cannot be shared. When cached: at most one cache round trip, no query."""
    if kind not in app_settings.SHAREABLES:
        return None
    key = entry_key(request, kind, pk)
    seconds = app_settings.SHARE_LOCAL_SECONDS
    now = time.monotonic()
    found = _local.get(key) if seconds else None
    if found is not None and found[0] > now:
        data = found[1]
    else:
        epoch = _local_epoch[0]
        data = GENERATION.get(
            key, lambda: build(request, kind, pk), app_settings.SHARE_CACHE_TIMEOUT
        )
        if seconds and epoch == _local_epoch[0]:
            with _local_lock:
                _local[key] = (now + seconds, data)
                _local.move_to_end(key)
                while len(_local) > LOCAL_MAX_ENTRIES:
                    _local.popitem(last=False)
    return None if data is None else ShareSnapshot(kind=kind, pk=pk, **data)


def forget_local():
    with _local_lock:
        _local_epoch[0] += 1
        _local.clear()


def build(request, kind, pk):
    """A snapshot's data, from the database, or None."""
    obj = resolve(request, kind, pk)
    if obj is None:
        return None
    site = Site.find_for_request(request)
    return {
        "url": canonical_url(obj) or "",
        "title": str(obj.get_share_title() or ""),
        "description": str(obj.get_share_description() or ""),
        "image_url": image_url(request, obj),
        "site_id": site.pk if site is not None else None,
    }


def forget_all(**kwargs):
    """Retire every snapshot (now, and again when the transaction commits)."""
    forget_local()
    GENERATION.bump()
    transaction.on_commit(forget_local)


def forget_changed_image(created=False, **kwargs):
    # A new image shows nowhere until a page using it is published.
    if not created:
        forget_all()


def connect_signals():
    """Called by the app's ready()."""
    uid = "sharing.snapshots"
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_all, dispatch_uid=uid)
    shareable_changed.connect(forget_all, dispatch_uid=uid)
    post_delete.connect(forget_all, sender=Page, dispatch_uid=uid)
    for model in (PageViewRestriction, Site, SharingSettings):
        post_save.connect(forget_all, sender=model, dispatch_uid=uid)
        post_delete.connect(forget_all, sender=model, dispatch_uid=uid)
    image_model = get_image_model()
    post_save.connect(forget_changed_image, sender=image_model, dispatch_uid=uid)
    post_delete.connect(forget_all, sender=image_model, dispatch_uid=uid)
