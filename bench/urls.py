from django.http import HttpResponse
from django.urls import path

from socialsite.urls import urlpatterns as site_urlpatterns


def bare(request):
    """The cheapest Django response: the baseline of the benchmark."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
