"""/sandbox-oauth/<provider>/...: every imitation server's endpoints, answered
only while SOCIAL_LOGIN_SANDBOX is on."""

from functools import wraps

from django.conf import settings
from django.http import Http404
from django.urls import include, path

from . import listening, publishing
from .servers import SERVERS

app_name = "sandbox"


def sandbox_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not getattr(settings, "SOCIAL_LOGIN_SANDBOX", False):
            raise Http404("The social-login sandbox is off.")
        return view(request, *args, **kwargs)

    return wrapped


def guarded(patterns):
    for pattern in patterns:
        pattern.callback = sandbox_only(pattern.callback)
    return patterns


urlpatterns = [
    path(f"{server.segment or server.id}/", include(guarded(server.urlpatterns())))
    for server in SERVERS
]
# The imitation publishing APIs of the own-media accounts (publishing.py).
urlpatterns.append(path("publish/", include(guarded(publishing.urlpatterns))))
# The imitation listening sources: a news feed and a Mastodon tag timeline.
urlpatterns.append(path("listen/", include(guarded(listening.urlpatterns))))
