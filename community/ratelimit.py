"""One rate limiter for every write of the community apps, in allauth's
notation: ``"5/m/ip,20/h/user,3/10m/key"`` — an amount, a period (a number
and s, m, h or d) and what is counted: the client's IP address, the signed-in
member, or a key the caller passes.

Counters are fixed windows in Django's cache (Redis in production, so every
app server shares them). allauth's own limiter lives in its private
``allauth.core.internal`` package, which other apps must not import; this is
the public ~60 lines the community apps share, reading the client's address by
allauth's public adapter so both agree on who a visitor is.

django-ratelimit was considered: its decorator answers with a 403 or an
exception, while comments need a translated message on the page (or in the
JSON answer) and several limits in one check.
"""

import hashlib
import re
import time
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*/\s*(ip|user|key)\s*$")


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int
    per: str


def parse(spec):
    """ "5/m/ip,20/h/user" -> [Rate(5, 60, "ip"), Rate(20, 3600, "user")]. An
    empty spec is no limit. ImproperlyConfigured names what is wrong."""
    rates = []
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        match = RATE.match(part)
        if match is None:
            raise ImproperlyConfigured(
                f"Bad rate {part.strip()!r}: write it as amount/period/per, "
                "e.g. '5/m/ip', '20/h/user' or '3/10m/key'."
            )
        amount, count, unit, per = match.groups()
        rates.append(Rate(int(amount), int(count or 1) * UNITS[unit], per))
    return rates


def client_ip(request):
    """The client's address by allauth's rule: only proxies the settings
    declare trusted (ALLAUTH_TRUSTED_PROXY_COUNT or
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER) may name it, so a spoofed
    X-Forwarded-For does not give a visitor a fresh limit. Where allauth cannot
    tell (a header that does not match the proxy count), the connecting
    address counts, which is stricter, never looser."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope, rate, who):
    """Count one request of `who` against `rate`; False when over it."""
    window = int(time.time() // rate.seconds)
    digest = hashlib.sha256(str(who).encode()).hexdigest()[:32]
    cache_key = f"community:rl:{scope}:{rate.seconds}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=rate.seconds + 1)
        count = 1
    return count <= rate.amount


def consume(request, action, rates, *, key=None):
    """True when `request` may do `action` now under `rates` (a dict of
    action -> spec, as in the apps' RATE_LIMITS settings). Every limit of the
    action is counted, so a refused request still uses up its allowance:
    per "user" for signed-in members, per "ip" always, per "key" when the
    caller passes one (an e-mail address, a target)."""
    allowed = True
    user = getattr(request, "user", None)
    for rate in parse(rates.get(action, "")):
        if rate.per == "user":
            if user is None or not user.is_authenticated:
                continue
            who = f"user:{user.pk}"
        elif rate.per == "key":
            if key is None:
                continue
            who = f"key:{key}"
        else:
            who = f"ip:{client_ip(request)}"
        allowed = hit(action, rate, who) and allowed
    return allowed
