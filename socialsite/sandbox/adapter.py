"""The social-account adapter of sandbox mode (dev.py names it in
SOCIALACCOUNT_ADAPTER): the community adapter, plus a Social application for
each imitation server whose provider has none of its own (real keys in the
environment or a Social application in /django-admin/ replace it), and the
in-process transport for the calls to them."""

from django.conf import settings

from community.adapters import SocialAccountAdapter

from .base import PREFIX
from .servers import SERVERS
from .transport import SandboxTransport


def sandbox_on():
    return bool(getattr(settings, "SOCIAL_LOGIN_SANDBOX", False))


class SandboxSocialAccountAdapter(SocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        if request is None or not sandbox_on():
            return apps
        configured = super().list_apps(request) if provider or client_id else apps
        taken = {(app.provider, app.provider_id or "") for app in configured}
        taken_providers = {app.provider for app in configured}
        for server in SERVERS:
            app = server.social_app(request)
            sub_id = app.provider_id or ""
            if sub_id and (app.provider, sub_id) in taken:
                continue
            if not sub_id and app.provider in taken_providers:
                continue
            if provider and provider not in (app.provider, sub_id):
                continue
            if client_id and client_id != app.client_id:
                continue
            apps.append(app)
        return apps

    def get_requests_session(self):
        session = super().get_requests_session()
        request = getattr(self, "request", None)
        if request is not None and sandbox_on():
            session.mount(request.build_absolute_uri(PREFIX), SandboxTransport())
        return session
