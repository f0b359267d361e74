"""PageCacheMiddleware: answers anonymous visitors' GET requests from the page
cache, and stores the responses that may be shared.

Put it right after WhiteNoise (before the session, locale, CSRF, auth and
messages middleware, which a hit then skips, and before django-csp's, whose
headers are stored with the page):

    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "sharing.pagecache.middleware.PageCacheMiddleware",
        ...
    ]

A request is looked up when it is a GET or HEAD without a session, messages
or Authorization (signed-in visitors always have a session). A response is
stored only when the view said it may be (`pagecache.cacheable`: every
Wagtail page) and nothing personal went into it: status 200, no cookie set,
no CSRF token used, no message shown, no signed-in user, no `Cache-Control`
of its own saying private or no-cache, in the language the key names."""

import fnmatch
import functools
import logging
from urllib.parse import unquote_plus

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_cache_control, patch_vary_headers
from django.utils.module_loading import import_string
from wagtail.models import Site

from .. import app_settings
from . import ALL, STATE, run_counter, site_tag, store

logger = logging.getLogger(__name__)

#: Longer query strings are not cached (nobody shares such links; a flood of
#: random ones should not fill the cache).
MAX_QUERY_LENGTH = 1000

#: `Vary` headers a stored page may have: the key covers them (the language
#: comes from the URL, a cookie or Accept-Language; personal cookies bypass).
CACHED_VARY = {"cookie", "accept-language", "accept-encoding"}

#: `Cache-Control` directives that forbid storing a response.
PRIVATE = {"private", "no-cache", "no-store"}


class Visit:
    """The page cache's state for one request it handles."""

    def __init__(self, key, url, language, query):
        self.key = key
        self.url = url
        self.language = language
        self.query = query
        self.clock = None
        self.cacheable = False
        self.tags = {ALL}
        self.views = []
        self.vary = set()
        self.csrf_script = False


@functools.lru_cache(maxsize=32)
def _ignored(patterns):
    return [pattern.lower() for pattern in patterns]


def split_query(query_string):
    """(kept, dropped): the `name=value` parts of a query string, the
    tracking parameters (SHARING_PAGE_CACHE_IGNORED_PARAMETERS) dropped."""
    patterns = _ignored(tuple(app_settings.PAGE_CACHE_IGNORED_PARAMETERS))
    kept, dropped = [], []
    for part in query_string.split("&"):
        if not part:
            continue
        name = unquote_plus(part.split("=", 1)[0]).lower()
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns):
            dropped.append(part)
        else:
            kept.append(part)
    return kept, dropped


def request_language(request):
    """The language LocaleMiddleware activates for this request."""
    if not settings.USE_I18N:
        return settings.LANGUAGE_CODE
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, prefixed_default = is_language_prefix_patterns_used(urlconf)
    language = translation.get_language_from_request(
        request, check_path=i18n_patterns_used
    )
    if (
        i18n_patterns_used
        and not prefixed_default
        and not translation.get_language_from_path(request.path_info)
    ):
        language = settings.LANGUAGE_CODE
    return language


@functools.lru_cache(maxsize=8)
def _variant_functions(paths):
    return [import_string(path) for path in paths]


def is_personal(request):
    """A signed-in visitor, or one with a session or messages: never served
    from the cache, never stored."""
    cookies = request.COOKIES
    if any(name in cookies for name in app_settings.PAGE_CACHE_BYPASS_COOKIES):
        return True
    return "Authorization" in request.headers


@functools.lru_cache(maxsize=1)
def _default_skip_paths():
    """Where sharing's URLs are included: "/share/" for `path("share/",
    include("sharing.urls"))`, with or without a language prefix."""
    try:
        with translation.override(None):
            url = reverse("sharing:share", args=["x", "page", 1])
    except NoReverseMatch:
        return ()
    url = without_language(url)
    return (url[: url.index("/x/") + 1],)


@functools.lru_cache(maxsize=8)
def _languages():
    return frozenset(code.lower() for code, _ in settings.LANGUAGES)


def skipped(path):
    """Whether `path` is under SHARING_PAGE_CACHE_SKIP_PATHS (its language
    prefix, if any, aside)."""
    prefixes = app_settings.PAGE_CACHE_SKIP_PATHS
    if prefixes is None:
        prefixes = _default_skip_paths()
    return bool(prefixes) and without_language(path).startswith(tuple(prefixes))


def without_language(path):
    """`path` without its first segment when that is a language code."""
    first, _, rest = path[1:].partition("/")
    return "/" + rest if first.lower() in _languages() else path


def start(request):
    """A `Visit` for a request the cache may answer, else None."""
    if request.method not in ("GET", "HEAD") or is_personal(request):
        return None
    if skipped(request.path_info):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    query_string = request.META.get("QUERY_STRING", "")
    if len(query_string) > MAX_QUERY_LENGTH:
        return None
    kept, _ = split_query(query_string)
    query = "&".join(sorted(kept, key=lambda part: part.split("=", 1)[0]))
    language = request_language(request)
    variants = [
        str(function(request))
        for function in _variant_functions(tuple(app_settings.PAGE_CACHE_VARIANTS))
    ]
    key = store.page_key(
        [request.scheme, host, request.path, query, language, *variants]
    )
    url = request.build_absolute_uri(request.path + (f"?{query}" if query else ""))
    return Visit(key, url, language, query)


def from_entry(entry):
    response = HttpResponse(entry.content, status=entry.status)
    for name, value in entry.headers:
        response.headers[name] = value
    return response


def storable(request, response, visit):
    """Whether `response` may be served to any anonymous visitor."""
    if not visit.cacheable or request.method != "GET":
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "CSRF_COOKIE_NEEDS_UPDATE" in request.META:
        return False  # a CSRF token went into the page
    control = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if control & PRIVATE:
        return False
    vary = {
        part.strip().lower()
        for part in cc_delim_re.split(response.get("Vary", ""))
        if part.strip()
    }
    if vary - CACHED_VARY:
        return False
    language = response.get("Content-Language")
    if language is not None and language != visit.language:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    return messages is None or not len(messages)


def mark_personal(response):
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        visit = start(request) if app_settings.PAGE_CACHE else None
        if visit is None:
            response = self.get_response(request)
            if app_settings.PAGE_CACHE and (is_personal(request) or response.cookies):
                mark_personal(response)
            return response
        try:
            entry, visit.clock = store.lookup(visit.key)
        except Exception:  # noqa: BLE001 (the cache is down: render the page)
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        if entry is not None:
            response = from_entry(entry)
            response["X-Page-Cache"] = "hit"
            self.count(request, entry.views)
            return response
        setattr(request, STATE, visit)
        original = request.GET, request.META.get("QUERY_STRING", "")
        # The view sees the URL without its tracking parameters: what it
        # renders is what every visitor of that URL may be served. (GET is
        # parsed again from the query string, the way Django decodes it.)
        request.META["QUERY_STRING"] = visit.query
        request.__dict__.pop("GET", None)
        try:
            response = self.get_response(request)
        finally:
            request.META["QUERY_STRING"] = original[1]
            request.GET = original[0]
        self.count(request, visit.views)
        if storable(request, response, visit):
            self.store(request, response, visit)
        elif response.cookies or "CSRF_COOKIE_NEEDS_UPDATE" in request.META:
            mark_personal(response)
        return response

    def count(self, request, views):
        for name, args in views:
            run_counter(request, name, args)

    def store(self, request, response, visit):
        patch_cache_control(
            response,
            public=True,
            max_age=app_settings.PAGE_CACHE_MAX_AGE,
            s_maxage=app_settings.PAGE_CACHE_S_MAXAGE,
        )
        if visit.vary:
            patch_vary_headers(response, sorted(visit.vary))
        site = Site.find_for_request(request)
        if site is not None:
            visit.tags.add(site_tag(site))
        entry = store.Entry(
            status=response.status_code,
            headers=list(response.items()),
            content=response.content,
            tags=sorted(visit.tags),
            clock=visit.clock,
            views=visit.views,
        )
        try:
            store.save(visit.key, visit.url, entry)
        except Exception:  # noqa: BLE001 (the cache is down: serve it anyway)
            logger.warning("Page cache unavailable", exc_info=True)
            return
        response["X-Page-Cache"] = "miss"
