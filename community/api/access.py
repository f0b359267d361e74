"""Who is calling the API and what they may do.

Two kinds of credentials: a member's OAuth 2 access token (``Authorization:
Bearer …``, issued by django-oauth-toolkit after the member signed in on the
site, with the scopes the member granted) and an app's API key (``X-Api-Key:
ssk_…``), which only reads. Reads need one of them unless
COMMUNITY_API_ANONYMOUS_READ is on; writes need a token with the action's
scope. Who may take part (suspended members, unverified addresses) is then
the apps' own services' call, as on the web."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication
from rest_framework.response import Response

from community import ratelimit
from community.api import app_settings
from community.api.models import ApiKey

#: The scopes of the API and what the consent page says of them.
SCOPES = {
    "read": _("Read the site's content and your own account"),
    "write:comments": _("Write comments in your name"),
    "write:posts": _("Write community posts in your name"),
    "write:likes": _("Like and unlike posts and comments in your name"),
    "write:votes": _("Vote in contests in your name"),
    "write:registrations": _("Register you for events and cancel registrations"),
}

API_KEY_HEADER = "X-Api-Key"


class TokenAuthentication(OAuth2Authentication):
    """django-oauth-toolkit's bearer tokens; a token that is sent but not
    valid (expired, revoked, made up) is refused rather than ignored."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None and request.headers.get("Authorization", "").startswith(
            "Bearer "
        ):
            raise exceptions.AuthenticationFailed(
                _("The access token is invalid or has expired.")
            )
        return found


class ApiKeyAuthentication(BaseAuthentication):
    """An app's read-only API key in the X-Api-Key header."""

    def authenticate(self, request):
        key = request.headers.get(API_KEY_HEADER)
        if key is None:
            return None
        api_key = ApiKey.find(key.strip())
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked API key."))
        now = timezone.now()
        if (
            api_key.last_used_at is None
            or (now - api_key.last_used_at).total_seconds() > 60
        ):
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return AnonymousUser(), api_key

    def authenticate_header(self, request):
        return API_KEY_HEADER


def token_scopes(request):
    """The scopes of the request's access token (none for keys)."""
    token = request.auth
    if isinstance(token, AccessToken):
        return set(token.scope.split())
    return set()


class ApiAccess(permissions.BasePermission):
    """Reads: an API key, a token with "read", or anybody when anonymous
    reads are on. Writes: a member's token with the view's scope for the
    action (`write_scopes`, action -> scope)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            if isinstance(request.auth, ApiKey):
                return True
            if isinstance(request.auth, AccessToken):
                return self.require(request, "read")
            if app_settings.ANONYMOUS_READ:
                return True
            raise exceptions.NotAuthenticated(
                _("Send an API key (X-Api-Key) or an access token.")
            )
        if isinstance(request.auth, ApiKey):
            raise exceptions.PermissionDenied(_("API keys can only read."))
        if not isinstance(request.auth, AccessToken):
            raise exceptions.NotAuthenticated(
                _("Sign the member in: writing needs their access token.")
            )
        scope = getattr(view, "write_scopes", {}).get(getattr(view, "action", None))
        if scope is None:
            raise exceptions.PermissionDenied(_("This action is not allowed."))
        return self.require(request, scope)

    def require(self, request, scope):
        if scope not in token_scopes(request):
            raise exceptions.PermissionDenied(
                _("The access token lacks the scope “%(scope)s”.") % {"scope": scope}
            )
        return True


def check_read_rate(request):
    """Count a read against "api_read"; Throttled when over it."""
    key = None
    if isinstance(request.auth, ApiKey):
        key = f"key:{request.auth.pk}"
    elif request.user.is_authenticated:
        key = f"user:{request.user.pk}"
    if not ratelimit.consume(request, "api_read", app_settings.RATE_LIMITS, key=key):
        raise exceptions.Throttled(detail=_("Too many requests. Wait a minute."))


def check_write_rate(request, action, rates, message):
    """Count a write against an app's own limit (as its web view does)."""
    if not ratelimit.consume(request, action, rates):
        raise exceptions.Throttled(detail=message)


def refuse_participation(denied):
    """PermissionDenied with the services' message, when there is one."""
    if denied:
        raise exceptions.PermissionDenied(str(denied))


def set_like(request, obj, action, rates, reactions, toggle):
    """A like's API answer (POST likes, DELETE unlikes; the same twice
    changes nothing): counted against the app's `action` limit in `rates`,
    `reactions` the member's reactions to `obj`, `toggle(user, obj)` the
    app's own service, which returns (liked, like count)."""
    check_write_rate(request, action, rates, _("Too many clicks. Wait a minute."))
    liked = reactions.filter(user=request.user).exists()
    if liked != (request.method == "POST"):
        liked, count = toggle(request.user, obj)
    else:
        count = type(obj).objects.values_list("like_count", flat=True).get(pk=obj.pk)
    return Response({"liked": liked, "like_count": count})
