from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with a second policy for the admin screens.

    The public site is held to CONTENT_SECURITY_POLICY (no inline script or
    style at all) and X-Frame-Options DENY; paths under ADMIN_URL_PREFIXES get
    ADMIN_CONTENT_SECURITY_POLICY, because the Wagtail and Django admins still use
    inline code (see docs/security.md for what is allowed there and why), and
    may be framed by the same origin (Wagtail's live preview).
    """

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if request.path_info.startswith(settings.ADMIN_URL_PREFIXES):
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.ADMIN_URL_PREFIXES)
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY
        return parts


def permissions_policy_header(policy):
    """{"camera": [], "geolocation": ["self"]} -> 'camera=(), geolocation=(self)'.
    "self" and "*" are keywords; anything else is an origin, quoted."""

    def source(value):
        return value if value in {"self", "*"} else f'"{value}"'

    return ", ".join(
        f"{feature}=({' '.join(source(value) for value in allowed)})"
        for feature, allowed in policy.items()
    )


class PermissionsPolicyMiddleware:
    """A Permissions-Policy header on every response: the browser features in
    PERMISSIONS_POLICY (camera, microphone, geolocation, payment, usb...) are
    off for the site and everything it embeds.

    A view that needs one sets, on its own response, what to allow, and the
    rest of the policy stays::

        response._permissions_policy_update = {"camera": ["self"]}

    (the event check-in page, which scans tickets with the camera, is the
    intended user). A response that already carries the header keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            policy = {
                **settings.PERMISSIONS_POLICY,
                **(getattr(response, "_permissions_policy_update", None) or {}),
            }
            if policy:
                response["Permissions-Policy"] = permissions_policy_header(policy)
        return response
