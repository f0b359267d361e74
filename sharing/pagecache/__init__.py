"""The page cache: anonymous visitors get pages from the cache (Redis in
production), each taken out exactly when something it shows changes, with
headers a CDN caches by, and the same invalidation purging Wagtail's frontend
cache when one is configured. docs/production.md says why and how.

`PageCacheMiddleware` looks up and stores responses; the code that renders a
page says what it shows, and the code that changes something says so:

    pagecache.cacheable(request, *tags)     # this response may be stored
    pagecache.depend(request, *tags)        # it also shows these things
    pagecache.on_view(request, name, *args) # count on every serve, hits too
    pagecache.invalidate(*tags)             # these things changed

A tag is a string: `object_tag(obj)` names a model instance (every page is
"wagtailcore.page:<id>"), `page_tags(page)` the tags of a served Wagtail page,
`site_tag(site)` a site's settings, `ALL` everything. Wagtail pages are
cacheable out of the box (a `before_serve_page` hook) and the app's signal
handlers (`sharing.pagecache.invalidation`) invalidate on publish, unpublish,
move, delete, view restrictions, site settings, images and snippets; the
community apps add comments and posts."""

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from wagtail.contrib.frontend_cache.utils import get_backends, purge_urls_from_cache
from wagtail.models import Page

from .. import app_settings
from . import store

logger = logging.getLogger(__name__)

MIDDLEWARE = "sharing.pagecache.middleware.PageCacheMiddleware"

#: The tag every stored page has: invalidating it empties the page cache.
ALL = "all"

#: The attribute of a request the middleware keeps its state in.
STATE = "_sharing_pagecache"

_counters = {}


def is_enabled():
    """The cache is on (SHARING_PAGE_CACHE) and its middleware installed."""
    return app_settings.PAGE_CACHE and MIDDLEWARE in settings.MIDDLEWARE


def object_tag(obj, pk=None):
    """The tag of a model instance, or of (model, pk): "<app>.<model>:<pk>".
    Every page is "wagtailcore.page:<pk>", whatever its type."""
    model = obj if pk is not None else type(obj)
    pk = pk if pk is not None else obj.pk
    if issubclass(model, Page):
        model = Page
    return f"{model._meta.label_lower}:{pk}"


def tree_tag(url_path):
    """The tag of the pages at or below `url_path` (a page's url_path)."""
    return f"wagtailcore.page.tree:{url_path}"


def page_tags(page):
    """A served page's tags: itself, and each of its ancestors' subtrees (so
    a move or unpublish takes the pages below out too)."""
    parts = [part for part in page.url_path.split("/") if part]
    trees = [
        tree_tag("/" + "/".join(parts[:end]) + "/") for end in range(1, len(parts) + 1)
    ]
    return [object_tag(page), *trees]


def site_tag(site):
    """The tag of what every page of `site` shows: its settings."""
    return f"wagtailcore.site:{getattr(site, 'pk', site)}"


def _state(request):
    return getattr(request, STATE, None) if request is not None else None


def counts_later(request):
    """True when `on_view` counters of this request run after the response
    (a request the page cache may answer or store)."""
    return _state(request) is not None


def cacheable(request, *tags):
    """The response to `request` may be stored for anonymous visitors; it
    shows `tags`. A no-op for requests the cache does not handle."""
    state = _state(request)
    if state is not None:
        state.cacheable = True
        state.tags.update(tags)


def cache_page(request, page):
    """Wagtail's `before_serve_page`: the page is cacheable, with its tags."""
    cacheable(request, *page_tags(page))


def depend(request, *tags):
    """The response to `request` also shows `tags` (a block listing posts, a
    board's posts...): it leaves the cache when they change."""
    state = _state(request)
    if state is not None:
        state.tags.update(tags)


def vary_on(request, *headers):
    """The response differs by these request headers, which a
    SHARING_PAGE_CACHE_VARIANTS function reads: they go into its `Vary`."""
    state = _state(request)
    if state is not None:
        state.vary.update(headers)


def register_counter(name, function):
    """Register `function(request, *args)`, which counts a view (called from
    an app's `AppConfig.ready()`)."""
    _counters[name] = function


def run_counter(request, name, args):
    return _counters[name](request, *args)


def on_view(request, name, *args):
    """Count a view with the counter registered as `name`. Now, for requests
    the cache does not handle (returns the counter's answer); else after the
    response, from the request as the visitor sent it, and again each time
    the cache serves the stored page (returns None)."""
    state = _state(request)
    if state is None:
        return run_counter(request, name, args)
    state.views.append((name, args))
    return None


def invalidate(*tags):
    """The things named by `tags` changed: pages showing them leave the cache
    now and again when the transaction commits (a page rendered in between
    read the old data), and a configured frontend cache (CDN) purges their
    URLs after the commit."""
    tags = {tag for tag in tags if tag}
    if not tags or not is_enabled():
        return
    urls = _invalidate(tags)
    transaction.on_commit(functools.partial(_after_commit, tags, urls))


def _invalidate(tags):
    try:
        return store.invalidate(tags)
    except Exception:  # noqa: BLE001 (never fail an editor's change for it)
        logger.exception(
            "Page cache unavailable: pages showing %s may be served stale for "
            "up to SHARING_PAGE_CACHE_TIMEOUT",
            sorted(tags),
        )
        return set()


def _after_commit(tags, urls):
    purge(urls | _invalidate(tags))


def purge(urls):
    """Purge `urls` from Wagtail's frontend cache, if one is configured
    (WAGTAILFRONTENDCACHE): django-tasks sends the requests."""
    if urls and get_backends():
        purge_urls_from_cache(sorted(urls))


def csrf_input(request):
    """The hidden CSRF field of a POST form. On pages the cache may store, an
    empty one: `sharing/csrf.js` fills it from a small uncached request when
    the visitor starts using the form, so no visitor's token is ever stored
    (and shown to another). Elsewhere, Django's usual field."""
    state = _state(request)
    if state is not None:
        try:
            url = reverse("sharing:csrf_token")
        except NoReverseMatch:
            url = None
        if url is not None:
            script = ""
            if not state.csrf_script:
                state.csrf_script = True
                script = format_html(
                    '<script src="{}" defer></script>', static("sharing/csrf.js")
                )
            return format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="" '
                'data-csrf-url="{}">{}',
                url,
                script,
            )
    if request is None:
        return ""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
        get_token(request),
    )
