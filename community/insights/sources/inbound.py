"""Sources that receive items instead of fetching them: exports of
commercial monitoring tools imported in the admin, and an authenticated
inbound webhook (:mod:`community.insights.webhook`)."""

from django.utils.translation import gettext_lazy as _

from .base import Connector


class ImportConnector(Connector):
    id = "import"
    name = _("Import (CSV or JSON export)")
    fetches = False
    help = _("Upload exports of a monitoring tool; columns are mapped on upload.")


class WebhookConnector(Connector):
    id = "webhook"
    name = _("Inbound webhook")
    fetches = False
    help = _(
        "Any other service posts JSON items to the source's address, signed "
        "with its secret (HMAC-SHA256) or carrying it as a bearer token."
    )
