"""A small fixed-window rate limiter on Django's cache (Redis in production,
so every app server shares the counters).

django-ratelimit was considered: its decorator answers with a 403 or an
exception, while comments need a translated message on the page (or in the
JSON answer) and limits keyed by member *and* by IP in one check; this module
is the ~40 lines that do that.
"""

import time

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """ "5/m" -> (5, 60)."""
    try:
        count, period = rate.split("/")
        return int(count), PERIODS[period.strip().lower()[0]]
    except (AttributeError, ValueError, KeyError, IndexError):
        raise ImproperlyConfigured(
            f"Bad rate {rate!r}: write it as count/period, e.g. '5/m'."
        ) from None


def client_ip(request):
    """The client's address, by the same rule as allauth's rate limits: only
    proxies the settings declare trusted (ALLAUTH_TRUSTED_PROXY_COUNT or
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER) may name it, so a spoofed
    X-Forwarded-For does not give a visitor a fresh limit. Where allauth cannot
    tell (no accounts app, or a header that does not match the proxy count),
    the connecting address counts, which is stricter, never looser."""
    from django.apps import apps
    from django.core.exceptions import PermissionDenied

    if apps.is_installed("allauth.account"):
        from allauth.account.adapter import get_adapter

        try:
            return get_adapter(request).get_client_ip(request)
        except (PermissionDenied, ImproperlyConfigured):
            pass
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope, key, rate):
    """Count one request for `key` in `scope`; False when over the rate."""
    limit, period = parse_rate(rate)
    window = int(time.time() // period)
    cache_key = f"community:rl:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    return count <= limit


def check(request, action, rates=None):
    """True when `request` may do `action` ("comment", "reaction", "post") now.
    Every configured limit for the action is counted: per member when signed
    in, and per IP address. `rates` defaults to COMMUNITY_COMMENTS_RATE_LIMITS."""
    from community import app_settings

    if rates is None:
        rates = app_settings.COMMENTS_RATE_LIMITS
    allowed = True
    user = getattr(request, "user", None)
    for name, rate in rates.items():
        if not name.startswith(action + "_") or not rate:
            continue
        if "_member" in name:
            if user is None or not user.is_authenticated:
                continue
            key = f"u{user.pk}"
        else:
            key = client_ip(request)
        allowed = hit(name, key, rate) and allowed
    return allowed
