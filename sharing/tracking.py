"""First-party share tracking: share clicks and share-driven visits, counted
per day, object and platform. Nothing about the visitor is stored: no IP
address, no cookie, no user agent."""

import functools
import re

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


def _record(request, event, platform_id, obj):
    site = Site.find_for_request(request)
    if site is None:
        return False
    kind, pk = obj.get_share_key()
    ShareCount.increment(
        site=site, event=event, platform=platform_id, kind=kind, object_id=pk
    )
    return True


def record_share(request, platform, obj):
    """Count a click on a share button (one write; bots are not counted)."""
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
    platform>, utm_medium=social). Returns True when counted."""
    if request.method != "GET" or is_bot(request):
        return False
    platform = inbound_platform(request)
    if platform is None or not obj.is_shareable(request):
        return False
    return _record(request, ShareCount.VISIT, platform.id, obj)
