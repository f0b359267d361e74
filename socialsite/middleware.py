from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with a second, looser policy for the admin screens.

    The public site is held to CONTENT_SECURITY_POLICY (no inline script or
    style at all) and X-Frame-Options DENY; paths under ADMIN_URL_PREFIXES get
    ADMIN_CONTENT_SECURITY_POLICY, because the Wagtail and Django admins still use
    inline code, and may be framed by the same origin (Wagtail's live preview).
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
