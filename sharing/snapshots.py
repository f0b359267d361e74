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
signals (a queryset update)."""

import hashlib
from dataclasses import dataclass

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


def snapshot(request, kind, pk):
    """The object `kind`, `pk` as the share endpoint needs it, or None when it
    cannot be shared. When cached: one cache round trip, no query."""
    if kind not in app_settings.SHAREABLES:
        return None
    data = GENERATION.get(
        entry_key(request, kind, pk),
        lambda: build(request, kind, pk),
        app_settings.SHARE_CACHE_TIMEOUT,
    )
    return None if data is None else ShareSnapshot(kind=kind, pk=pk, **data)


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
    GENERATION.bump()


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
