"""First-party share tracking: share clicks and share-driven visits, counted
per day, object and platform. Nothing about the visitor is stored: no IP
address, no cookie, no user agent.

A visitor's repeats count once per COUNT_WINDOW, as privacy-first analytics do
it: the cache holds, for the window, a keyed hash of the visitor's addresses,
user agent and what they did, under a key derived from SECRET_KEY and today's
date. The hash cannot be turned back into an address, and tomorrow's hashes
cannot be linked to today's. This stops reloads and double clicks from
counting twice; it does not stop someone who varies their user agent on
purpose (rate limits and the bot filter are for that)."""

import functools
import re

from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail.models import Site

from . import app_settings, counters, pagecache, publishing
from .models import ShareCount
from .registry import registry


@functools.lru_cache(maxsize=8)
def _bot_pattern(pattern):
    return re.compile(pattern, re.IGNORECASE)


def is_bot(request):
    """True for crawlers, link-preview fetchers and prefetches: not counted."""
    agent = request.headers.get("User-Agent", "").strip()
    if not agent:
        return True
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get(
        "Purpose", ""
    )
    if "prefetch" in purpose.lower():
        return True
    return bool(_bot_pattern(app_settings.BOT_USER_AGENTS).search(agent))


#: Seconds during which a visitor's repeated click or visit counts once.
COUNT_WINDOW = 30 * 60

#: The headers that tell visitors apart besides REMOTE_ADDR. Behind a proxy every
#: visitor has the proxy's REMOTE_ADDR and the proxy's X-Forwarded-For names
#: them; a forged header only makes a visitor look new, as a new user agent would.
VISITOR_HEADERS = ("X-Forwarded-For", "X-Real-IP", "User-Agent")


def visitor_key(request, *parts):
    """A hash naming this visitor doing `parts` today, and nothing more: the
    member's id when signed in, else their addresses and user agent, keyed
    with a secret derived from SECRET_KEY and today's date (UTC)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        who = [f"user:{user.pk}"]
    else:
        who = [request.META.get("REMOTE_ADDR", "")]
        who += [request.headers.get(name, "")[:500] for name in VISITOR_HEADERS]
    day = timezone.now().date().isoformat()
    return salted_hmac(
        f"sharing.tracking.visitor:{day}",
        "\n".join([*who, *map(str, parts)]),
        algorithm="sha256",
    ).hexdigest()


def request_site_id(request):
    site = Site.find_for_request(request)
    return site.pk if site is not None else None


def _record(request, event, platform_id, obj_key, site_id):
    """Count once per visitor in COUNT_WINDOW, through the counter backend
    (`sharing.counters`): one Redis round trip with Redis, else one cache
    call and one upsert."""
    if site_id is None:
        return False
    kind, pk = obj_key
    once = visitor_key(request, site_id, event, platform_id, kind, pk)
    return counters.count(
        event, platform_id, obj_key, site_id, once=once, window=COUNT_WINDOW
    )


def record_share(request, platform, obj, site_id=None):
    """Count a click on a share button (bots and a visitor's repeats within
    COUNT_WINDOW are not counted). `site_id`: the request's Site when the
    caller knows it (the share endpoint's snapshot does), else looked up."""
    if request.method != "GET" or is_bot(request):
        return False
    if site_id is None:
        site_id = request_site_id(request)
    return _record(request, ShareCount.SHARE, platform.id, obj.get_share_key(), site_id)


def inbound_platform(request):
    """The platform a visit came from, judged by its UTM tags, or None."""
    if request.GET.get("utm_medium") != app_settings.UTM_MEDIUM:
        return None
    return registry.get(request.GET.get("utm_source", ""))


def record_visit(request, obj):
    """Count a visit that arrived through a shared link (utm_source=<known
    platform>, utm_medium=social), once per visitor in COUNT_WINDOW. Returns
    True when counted."""
    if request.method != "GET" or is_bot(request):
        return False
    if inbound_platform(request) is None or not obj.is_shareable(request):
        return False
    return record_visit_to(request, obj.get_share_key(), request_site_id(request))


def record_visit_to(request, obj_key, site_id):
    """`record_visit` for a page served from a cache, which knows the page's
    share key (kind, pk) and Site and that it is public, without loading it:
    no database query with the Redis counter backend (one Redis round trip),
    nothing at all without the UTM tags."""
    if request.method != "GET" or is_bot(request):
        return False
    platform = inbound_platform(request)
    if platform is None:
        return False
    counted = _record(request, ShareCount.VISIT, platform.id, obj_key, site_id)
    if counted:
        # A link of one of the company's own posts: that post's visits too.
        publishing.count_visit(request)
    return counted


#: The page cache's name of `record_visit_to` (registered in the app's ready()).
VISIT_COUNTER = "sharing.visit"


def count_visit(request, obj):
    """`record_visit` for a page being served. When the page cache may store
    the page, the count happens after the response, from the request as the
    visitor sent it (the page is rendered without its UTM tags), and again
    each time the cache serves the page (`sharing.pagecache.on_view`)."""
    if not pagecache.counts_later(request):
        return record_visit(request, obj)
    if obj.is_shareable(request):
        pagecache.on_view(
            request, VISIT_COUNTER, obj.get_share_key(), request_site_id(request)
        )
    return None
