"""The one view of the page cache: a CSRF token for the forms of cached
pages (`sharing/csrf.js` asks for it when a visitor starts using a form)."""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def csrf_token(request):
    """{"token": ...}, with the CSRF cookie it goes with; never cached."""
    return JsonResponse({"token": get_token(request)})
