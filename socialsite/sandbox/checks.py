"""The sandbox lets anyone sign in as anyone: never on a public server.
Registered by the demo website app, so it runs whether or not the sandbox is
installed."""

from django.conf import settings
from django.core.checks import Error, register

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", ".localhost"}


def loopback_only(hosts):
    return bool(hosts) and all(
        host in LOOPBACK_HOSTS or host.endswith(".localhost") for host in hosts
    )


@register("security")
def check_sandbox(app_configs, **kwargs):
    if not getattr(settings, "SOCIAL_LOGIN_SANDBOX", False):
        return []
    if not getattr(settings, "SOCIAL_LOGIN_SANDBOX_ALLOWED", True):
        return [
            Error(
                "The social-login sandbox is on in production settings.",
                hint="It lets anyone sign in as anyone: unset SOCIAL_LOGIN_SANDBOX "
                "and configure the providers' real keys (docs/accounts.md).",
                id="socialsite.E001",
            )
        ]
    if not settings.DEBUG and not loopback_only(settings.ALLOWED_HOSTS):
        return [
            Error(
                "The social-login sandbox is on with DEBUG off on a server that "
                "answers other hosts than this machine.",
                hint="Set SOCIAL_LOGIN_SANDBOX=false, or configure the "
                "providers' real keys, or serve only localhost/127.0.0.1 "
                "(ALLOWED_HOSTS).",
                id="socialsite.E002",
            )
        ]
    return []
