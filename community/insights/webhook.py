"""The inbound webhook: any other service posts JSON items to
``/insights/sources/<id>/webhook/``, authenticated by the source's secret as
a bearer token or as an HMAC-SHA256 signature of the body
(``X-Socialsite-Signature: sha256=<hex>``).

The body is ``{"items": [{...}, ...]}`` (or the list alone); each item has
``text`` and may have ``url``, ``title``, ``author_handle``, ``author_name``,
``published_at`` (ISO 8601), ``language`` and ``reach``. The answer counts
what was stored and says, per item index, why an item was refused."""

import hmac
import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community import ratelimit
from community.insights import alerts, app_settings
from community.insights.imports import item_from_mapping
from community.insights.ingest import store_items
from community.insights.models import Source
from community.insights.tasks import enqueue, evaluate_alerts

FIELDS = (
    "text",
    "url",
    "title",
    "author_handle",
    "author_name",
    "published_at",
    "language",
    "reach",
)


def authenticated(request, source, body):
    """True when the request carries the source's secret as a bearer token
    or signs the body with it."""
    secret = source.secret
    if not secret:
        return False
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Bearer "):
        return hmac.compare_digest(
            authorization.removeprefix("Bearer ").strip().encode(), secret.encode()
        )
    signature = request.headers.get(alerts.SIGNATURE_HEADER, "")
    if signature:
        return hmac.compare_digest(
            signature.encode(), alerts.sign(secret, body).encode()
        )
    return False


def error(message, status):
    return JsonResponse({"error": message}, status=status)


@csrf_exempt
@require_POST
def inbound(request, source_id):
    source = Source.objects.filter(
        pk=source_id, active=True, connector="webhook"
    ).first()
    if source is None:
        # 403 rather than 404: the language middleware would redirect a 404.
        return error("This address accepts no calls.", 403)
    if not ratelimit.consume(
        request, "webhook", app_settings.RATE_LIMITS, key=source.pk
    ):
        return error("Too many requests; slow down.", 429)
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return error("Invalid Content-Length.", 400)
    if length > app_settings.WEBHOOK_MAX_BYTES:
        return error("The body is too large.", 413)
    body = request.body
    if len(body) > app_settings.WEBHOOK_MAX_BYTES:
        return error("The body is too large.", 413)
    if not authenticated(request, source, body):
        return error("Missing or wrong secret.", 401)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return error("The body is not UTF-8 JSON.", 400)
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return error('Send {"items": [...]} or a list of items.', 400)
    if len(items) > app_settings.WEBHOOK_MAX_ITEMS:
        return error(f"At most {app_settings.WEBHOOK_MAX_ITEMS} items per call.", 413)
    good, errors = [], []
    for index, raw in enumerate(items):
        if not isinstance(raw, dict):
            errors.append({"index": index, "error": "An item must be an object."})
            continue
        row = {name: raw.get(name) for name in FIELDS if raw.get(name) is not None}
        item, problem = item_from_mapping(row, {name: name for name in FIELDS})
        if problem:
            errors.append({"index": index, "error": str(problem)})
        else:
            good.append(item)
    result = store_items(source, good)
    if result.created:
        enqueue(evaluate_alerts)
    return JsonResponse({**result.as_dict(), "errors": errors})
