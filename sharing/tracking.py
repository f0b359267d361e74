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

from django.core.cache import caches
from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail.models import Site

from . import app_settings
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


def first_in_window(request, *parts):
    """True the first time in COUNT_WINDOW this visitor does `parts`."""
    key = f"sharing:seen:{visitor_key(request, *parts)}"
    return caches[app_settings.CACHE_ALIAS].add(key, 1, COUNT_WINDOW)


def _record(request, event, platform_id, obj):
    site = Site.find_for_request(request)
    if site is None:
        return False
    kind, pk = obj.get_share_key()
    if not first_in_window(request, site.pk, event, platform_id, kind, pk):
        return False
    ShareCount.increment(
        site=site, event=event, platform=platform_id, kind=kind, object_id=pk
    )
    return True


def record_share(request, platform, obj):
    """Count a click on a share button (one write; bots and a visitor's
    repeats within COUNT_WINDOW are not counted)."""
    if request.method != "GET" or is_bot(request):
        return False
    return _record(request, ShareCount.SHARE, platform.id, obj)


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
    platform = inbound_platform(request)
    if platform is None or not obj.is_shareable(request):
        return False
    return _record(request, ShareCount.VISIT, platform.id, obj)
