"""Which pages are private (behind a view restriction), without a query per
question: the paths of the restricted pages, cached until a restriction is
added, changed or removed or a page moves (`sharing.generations`).

Wagtail's `PageQuerySet.public()` reads every restriction each time it is
called; a page asks it several times (link previews, share buttons, listings).
`public(queryset)` excludes the same pages (a restricted page and the pages
below it) from the cached paths."""

import functools
import operator

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import post_page_move

from .generations import Generation

GENERATION = Generation("sharing:restrictions")

#: Seconds the paths live at most (changes retire them before).
TIMEOUT = 60 * 60


def restricted_paths():
    """The tree paths of the pages that carry a view restriction."""
    return GENERATION.get(
        "paths",
        lambda: tuple(
            PageViewRestriction.objects.order_by()
            .values_list("page__path", flat=True)
            .distinct()
        ),
        TIMEOUT,
    )


def is_restricted(page):
    """True when `page` or one of its ancestors carries a view restriction."""
    return any(page.path.startswith(path) for path in restricted_paths())


def public(queryset):
    """`queryset.public()`, from the cached paths."""
    paths = restricted_paths()
    if not paths:
        return queryset
    return queryset.exclude(
        functools.reduce(operator.or_, (Q(path__startswith=path) for path in paths))
    )


def connect_signals():
    """Called by the app's ready()."""
    uid = "sharing.restrictions"
    post_save.connect(GENERATION.bump, sender=PageViewRestriction, dispatch_uid=uid)
    post_delete.connect(GENERATION.bump, sender=PageViewRestriction, dispatch_uid=uid)
    post_page_move.connect(GENERATION.bump, dispatch_uid=uid)
