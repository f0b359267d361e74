"""The views of the page cache: a CSRF token for the forms of cached pages
(`sharing/csrf.js` asks for it when a visitor starts using a form), and the
CSRF failure view that lets a visitor without JavaScript send such a form."""

from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.http import JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, get_token
from django.template.response import TemplateResponse
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

#: Why Django refused the form, when a cached page is the likely cause: the
#: page held no token (its field is empty: csrf.js fills it), or the visitor
#: had no CSRF cookie yet.
_RESENDABLE = (REASON_NO_CSRF_COOKIE, "CSRF token missing", "CSRF token from POST")

#: Fields of the refused form shown again, at most (a form of ours has fewer).
MAX_FIELDS = 100


@never_cache
@require_GET
def csrf_token(request):
    """{"token": ...}, with the CSRF cookie it goes with; never cached."""
    return JsonResponse({"token": get_token(request)})


def _ours(request, url):
    """Whether `url` is on this site (scheme and host)."""
    parts = urlsplit(url or "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return False
    return parts.scheme == request.scheme and parts.netloc == host


def _same_origin(request):
    """The form was sent from one of this site's pages (Origin, or Referer
    where the browser sent no Origin)."""
    headers = request.headers
    return _ours(request, headers.get("Origin") or headers.get("Referer"))


def _written(value):
    """Text the visitor wrote (shown to them again), not a form's machinery
    (ids, timestamps, hashes: ASCII without spaces)."""
    return not value.isascii() or any(char.isspace() for char in value.strip())


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW for sites with the page cache. A form of a cached
    page sent without JavaScript carries no token (the page is the same for
    everybody): when it came from this site, the visitor is shown what they
    sent, with a token of their own now, and sends it again with one click
    (files must be chosen again). Anything else gets Django's failure page."""
    resendable = reason.startswith(_RESENDABLE) and request.method == "POST"
    if not resendable or not _same_origin(request):
        return csrf.csrf_failure(request, reason=reason)
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    ][:MAX_FIELDS]
    referer = request.headers.get("Referer")
    response = TemplateResponse(
        request,
        "sharing/resend.html",
        {
            "action": request.get_full_path(),
            "fields": fields,
            "written": [value for _, value in fields if _written(value)],
            "had_files": bool(request.FILES),
            "back_url": referer if _ours(request, referer) else "",
        },
        status=403,
    )
    response["Cache-Control"] = "private, no-cache, no-store"
    return response
