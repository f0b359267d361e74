"""Personal share links: ``?ref=<code>`` on any page of the site attributes
the visit, and a later sign-up in the same browser, to the member whose code
it is. First-party only: a signed cookie of the site remembers the code (and
the page the visitor landed on); nothing goes to a third party.

`ReferralMiddleware` records the first visit of a browser through each
member's link (rate-limited per IP address); allauth's `user_signed_up`
signal records the sign-up. Put the middleware before the page cache's, so
visits served from the cache count too."""

import secrets

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.http import urlencode

from community import ratelimit
from community.adapter import get_adapter
from community.campaigns import app_settings
from community.campaigns.models import ReferralCode, ReferralSignup, ReferralVisit

COOKIE = "campaigns_ref"
SALT = "community.campaigns.referral"
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def code_for(user):
    """The member's referral code, made on first use."""
    existing = ReferralCode.objects.filter(user=user).first()
    if existing is not None:
        return existing.code
    for _attempt in range(5):
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))
        try:
            with transaction.atomic():
                return ReferralCode.objects.create(user=user, code=code).code
        except IntegrityError:
            existing = ReferralCode.objects.filter(user=user).first()
            if existing is not None:
                return existing.code
    raise RuntimeError("no free referral code")


def share_link(url, user):
    """`url` (absolute) with the member's referral code."""
    separator = "&" if "?" in url else "?"
    return (
        url + separator + urlencode({app_settings.REFERRAL_PARAMETER: code_for(user)})
    )


def clean_code(value):
    value = (value or "").strip().lower()
    if 4 <= len(value) <= 16 and all(c in CODE_ALPHABET for c in value):
        return value
    return None


def read_cookie(request):
    """(code, path) remembered in the visitor's cookie, or None."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(
            raw, salt=SALT, max_age=app_settings.REFERRAL_COOKIE_DAYS * 86400
        )
        return str(value["c"]), str(value["p"])[:500]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


class ReferralMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = None
        if request.method == "GET":
            code = clean_code(request.GET.get(app_settings.REFERRAL_PARAMETER))
        response = self.get_response(request)
        if code is None or response.status_code != 200:
            return response
        remembered = read_cookie(request)
        if remembered is not None and remembered[0] == code:
            return response
        if get_adapter(request).is_bot(request):
            return response
        referral = ReferralCode.objects.filter(code=code).only("pk").first()
        if referral is None:
            return response
        path = request.path[:500]
        if ratelimit.consume(request, "referral_visit", app_settings.RATE_LIMITS):
            ReferralVisit.objects.create(code=referral, path=path)
        response.set_cookie(
            COOKIE,
            signing.dumps({"c": code, "p": path}, salt=SALT),
            max_age=app_settings.REFERRAL_COOKIE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response


def attribute_signup(request, user):
    """Record that `user` signed up after a visit through a member's link
    (allauth's `user_signed_up`). A member never refers themself."""
    if request is None:
        return None
    remembered = read_cookie(request)
    if remembered is None:
        return None
    code, path = remembered
    referral = ReferralCode.objects.filter(code=code).first()
    if referral is None or referral.user_id == user.pk:
        return None
    try:
        with transaction.atomic():
            return ReferralSignup.objects.create(code=referral, user=user, path=path)
    except IntegrityError:
        return None


def leaderboard(url_path, *, limit=10):
    """[{"user", "visits", "signups"}] of the members whose links brought
    visitors to pages at or below `url_path` (a page's URL path, e.g.
    /en/campaigns/spring/), by sign-ups then visits."""
    signups = dict(
        ReferralSignup.objects.filter(path__startswith=url_path)
        .values("code")
        .annotate(n=Count("pk"))
        .values_list("code", "n")
    )
    visits = dict(
        ReferralVisit.objects.filter(path__startswith=url_path)
        .values("code")
        .annotate(n=Count("pk"))
        .values_list("code", "n")
    )
    ranked = sorted(
        set(signups) | set(visits),
        key=lambda pk: (-signups.get(pk, 0), -visits.get(pk, 0), pk),
    )[:limit]
    codes = ReferralCode.objects.select_related("user__community_profile").in_bulk(
        ranked
    )
    return [
        {
            "user": codes[pk].user,
            "name": get_adapter().author_name(codes[pk].user),
            "visits": visits.get(pk, 0),
            "signups": signups.get(pk, 0),
        }
        for pk in ranked
    ]
