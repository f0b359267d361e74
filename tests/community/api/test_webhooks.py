"""Webhooks: deliveries of the apps' events, signed, received by a test
receiver on loopback, retried and logged; secrets encrypted at rest."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from allauth.account.signals import user_signed_up
from django.db import connection

from community.api import tasks, webhooks
from community.api.credentials import new_webhook_secret
from community.api.models import ApiKey, WebhookDelivery, WebhookEndpoint
from community.posts.moderation import moderate_posts
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server on 127.0.0.1 that records what it receives and
    answers `status`."""

    def __init__(self):
        self.received = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"nope" if receiver.status >= 400 else b"ok")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.COMMUNITY_API_WEBHOOK_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def endpoint(receiver):
    secret = new_webhook_secret()
    hook = WebhookEndpoint(
        name="CRM", url=receiver.url, events=["post.created", "comment.created"]
    )
    hook.set_secret(secret)
    hook.save()
    hook.clear_secret = secret
    return hook


def verify(headers, body, secret):
    """What a receiver does (docs/api.md): HMAC-SHA256 of timestamp.body."""
    timestamp = headers["X-Socialsite-Timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(headers["X-Socialsite-Signature"], f"sha256={expected}")


def test_new_post_is_delivered_signed(
    receiver, endpoint, board, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = PostFactory(board=board)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert headers["X-Socialsite-Event"] == "post.created"
    assert verify(headers, body, endpoint.clear_secret)
    assert not verify(headers, body + b" ", endpoint.clear_secret)
    assert not verify(headers, body, "whsec_wrong")
    data = json.loads(body)
    assert data["event"] == "post.created"
    assert data["data"]["post"]["id"] == post.pk
    assert "@" not in body.decode()  # no e-mail addresses
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == "delivered"
    assert delivery.response_code == 200 and delivery.attempts == 1


def test_events_not_chosen_are_not_sent(receiver, endpoint, event, member):
    endpoint.events = ["comment.created"]
    endpoint.save()
    assert webhooks.dispatch("post.created", {"x": 1}) == []
    assert receiver.received == []


def test_failures_are_retried_logged_and_redelivered(
    receiver, endpoint, settings, django_capture_on_commit_callbacks
):
    settings.COMMUNITY_API_WEBHOOK_MAX_ATTEMPTS = 2
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.dispatch("post.created", {"post": {"id": 1}})
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == "retrying"
    assert delivery.response_code == 500
    assert "answered 500" in delivery.error
    assert delivery.next_attempt_at is not None
    # Due now: the retry (cron's `send_webhooks` where tasks cannot wait).
    assert tasks.send_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 2
    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.redeliver(delivery)
    again.refresh_from_db()
    assert again.status == "delivered"
    assert len(receiver.received) == 3
    assert json.loads(receiver.received[-1][1])["data"] == {"post": {"id": 1}}


def test_unreachable_endpoint_says_why(endpoint, settings):
    settings.COMMUNITY_API_WEBHOOK_ALLOW_PRIVATE = False
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="post.created", payload={}
    )
    tasks.attempt(delivery)
    assert delivery.status == "retrying"
    assert "non-public address" in delivery.error


def test_secret_is_encrypted_at_rest(endpoint):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret_encrypted FROM community_api_webhookendpoint WHERE id = %s",
            [endpoint.pk],
        )
        stored = cursor.fetchone()[0]
    assert endpoint.clear_secret not in stored
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == endpoint.clear_secret


def test_api_keys_are_hashed_at_rest(api_key):
    key = api_key["HTTP_X_API_KEY"]
    stored = ApiKey.objects.values_list("lookup", "digest").get()
    assert key not in "".join(stored)
    assert ApiKey.find(key) is not None
    assert ApiKey.find(key + "x") is None


def test_every_event_of_the_apps(
    receiver,
    client,
    token_for,
    member,
    board,
    event,
    entry,
    page,
    django_capture_on_commit_callbacks,
    django_user_model,
):
    """Each event comes from its app's own path (the API, moderation,
    sign-up), once per action."""
    hook = WebhookEndpoint(name="All", url=receiver.url, events=list(webhooks.EVENTS))
    hook.set_secret("whsec_all")
    hook.save()
    headers = token_for(member)

    def call(url, body):
        response = client.post(
            url, json.dumps(body), content_type="application/json", **headers
        )
        assert response.status_code < 300, response.content
        return response.json()

    with django_capture_on_commit_callbacks(execute=True):
        call(
            "/api/v1/comments/",
            {
                "content_type": "testapp.commentablepage",
                "object_id": page.pk,
                "comment": "Hi",
            },
        )
        call(f"/api/v1/events/{event.pk}/registration/", {})
        call(f"/api/v1/campaigns/{entry.campaign_id}/votes/", {"post": entry.post_id})
        board.moderation = "pre"
        board.save()
        held = PostFactory(board=board, state="pending")
        moderate_posts([held], "approve")
        user_signed_up.send(sender=None, request=None, user=member)
    events = [json.loads(body)["event"] for _headers, body in receiver.received]
    assert sorted(events) == sorted(
        [
            "comment.created",
            "registration.created",
            "vote.created",
            "post.created",
            "post.approved",
            "member.created",
        ]
    )
    approved = next(
        json.loads(body)["data"]
        for _headers, body in receiver.received
        if json.loads(body)["event"] == "post.approved"
    )
    assert (
        approved["post"]["id"] == held.pk and approved["post"]["state"] == "published"
    )
    assert all(verify(h, b, "whsec_all") for h, b in receiver.received)
