"""Sending webhook deliveries (django-tasks): each attempt signs the body
afresh with the current time, POSTs it, and records the outcome in plain
words. A failed attempt is retried after COMMUNITY_API_WEBHOOK_BACKOFF
seconds, four times longer each time, up to WEBHOOK_MAX_ATTEMPTS attempts; on
a backend that cannot defer (the immediate one of development and tests),
`manage.py send_webhooks` sends the retries that are due (run it from cron)."""

import datetime
import json
import logging
import time
from urllib.parse import urlsplit

import urllib3
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from community import fetch
from community.api import app_settings, credentials
from community.api.models import WebhookDelivery

logger = logging.getLogger(__name__)

USER_AGENT = "Socialsite-Webhooks/1"
#: Bytes of the endpoint's answer that are read (and logged on failure).
MAX_ANSWER = 2000


class DeliveryError(Exception):
    """An attempt failed; the message says why, in plain words."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


def body(delivery):
    """The JSON body of `delivery`, as sent and signed."""
    return json.dumps(
        {
            "id": delivery.pk,
            "event": delivery.event,
            "created_at": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def headers_for(delivery, payload, secret, timestamp):
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Socialsite-Event": delivery.event,
        "X-Socialsite-Delivery": str(delivery.pk),
        "X-Socialsite-Timestamp": str(timestamp),
        "X-Socialsite-Signature": "sha256="
        + credentials.sign(secret, timestamp, payload),
    }


def post(url, payload, headers):
    """POST `payload` to `url`; returns the status code of a 2xx answer,
    raises DeliveryError otherwise. Unless WEBHOOK_ALLOW_PRIVATE, the host
    must resolve to public addresses only, and the connection goes to the
    address that was checked (no DNS rebinding to an internal one)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError("The URL is not an http(s) URL.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = parts.hostname
    if not app_settings.WEBHOOK_ALLOW_PRIVATE:
        try:
            address = fetch.public_address(parts.hostname, port)
        except fetch.FetchError as error:
            raise DeliveryError(str(error)) from None
    timeout = urllib3.Timeout(
        connect=app_settings.WEBHOOK_TIMEOUT, read=app_settings.WEBHOOK_TIMEOUT
    )
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=payload,
            headers={**headers, "Host": parts.netloc.rpartition("@")[2]},
            redirect=False,
            retries=False,
            preload_content=False,
        )
    except urllib3.exceptions.TimeoutError:
        raise DeliveryError(
            f"No answer within {app_settings.WEBHOOK_TIMEOUT} seconds."
        ) from None
    except urllib3.exceptions.HTTPError as error:
        reason = getattr(error, "reason", None) or error
        raise DeliveryError(f"Could not connect: {reason}") from None
    finally:
        pool.close()
    try:
        answer = response.read(MAX_ANSWER, decode_content=False) or b""
    finally:
        response.release_conn()
    if 200 <= response.status < 300:
        return response.status
    text = answer.decode("utf-8", "replace").strip()[:200]
    raise DeliveryError(
        f"The endpoint answered {response.status} {response.reason or ''}".strip()
        + (f": {text}" if text else ""),
        status=response.status,
    )


def attempt(delivery):
    """One attempt at sending `delivery`; records and returns its status."""
    endpoint = delivery.endpoint
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.next_attempt_at = None
    secret = endpoint.secret
    try:
        if not endpoint.active:
            raise DeliveryError("The endpoint is switched off.")
        if secret is None:
            raise DeliveryError(
                "The endpoint's secret cannot be decrypted (the site's keys "
                "changed): set a new secret."
            )
        payload = body(delivery)
        timestamp = int(time.time())
        delivery.response_code = post(
            endpoint.url, payload, headers_for(delivery, payload, secret, timestamp)
        )
    except DeliveryError as error:
        delivery.response_code = error.status
        delivery.error = str(error)[:500]
        retry = (
            endpoint.active and delivery.attempts < app_settings.WEBHOOK_MAX_ATTEMPTS
        )
        if retry:
            wait = app_settings.WEBHOOK_BACKOFF * 4 ** (delivery.attempts - 1)
            delivery.status = WebhookDelivery.Status.RETRYING
            delivery.next_attempt_at = now + datetime.timedelta(seconds=wait)
        else:
            delivery.status = WebhookDelivery.Status.FAILED
    else:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.error = ""
    delivery.save()
    return delivery.status


@task()
def send_delivery(delivery_id):
    """Attempt delivery `delivery_id` unless it was delivered or given up;
    schedules the next attempt when it fails and the backend can defer."""
    delivery = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status in (
        WebhookDelivery.Status.DELIVERED,
        WebhookDelivery.Status.FAILED,
    ):
        return None
    status = attempt(delivery)
    if (
        status == WebhookDelivery.Status.RETRYING
        and send_delivery.get_backend().supports_defer
    ):
        enqueue_delivery(delivery, run_after=delivery.next_attempt_at)
    return status


def enqueue_delivery(delivery, run_after=None):
    """Send `delivery` in the background (at `run_after`, when the backend
    can defer), once the current transaction commits."""

    def send():
        job = send_delivery
        if run_after is not None and job.get_backend().supports_defer:
            job = job.using(run_after=run_after)
        try:
            job.enqueue(delivery.pk)
        except Exception:
            logger.exception("Webhook delivery %s could not be queued", delivery.pk)

    transaction.on_commit(send)


def send_due(now=None):
    """Attempt the deliveries whose retry is due; returns how many."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.RETRYING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        send_delivery.call(pk)
        count += 1
    return count


def redeliver(delivery):
    """Send `delivery`'s event again, as a new delivery (the log keeps the
    old one)."""
    again = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint, event=delivery.event, payload=delivery.payload
    )
    enqueue_delivery(again)
    return again
