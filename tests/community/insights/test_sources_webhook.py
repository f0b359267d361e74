"""The inbound webhook: authenticated by the source's secret (bearer token
or HMAC signature), bounded, and explicit about each refused item."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse

from community.insights.alerts import sign
from community.insights.models import ExternalPost
from tests.community.insights.sources_helpers import make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(db):
    return make_source("webhook")


def url_of(source):
    return reverse("community_insights_public:source_webhook", args=[source.pk])


def post(client, source, data, **headers):
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(
        url_of(source), body, content_type="application/json", headers=headers
    )


ITEMS = {
    "items": [
        {"text": "Hook tea", "url": "https://h.example/1", "reach": 5},
        {"text": "", "url": "https://h.example/2"},
        {"text": "Dated", "published_at": "not a date"},
        "junk",
    ]
}


def test_bearer_token(client, source):
    response = post(client, source, ITEMS, Authorization=f"Bearer {source.secret}")
    assert response.status_code == 200
    data = response.json()
    assert data["created"] == 1
    assert [error["index"] for error in data["errors"]] == [1, 2, 3]
    post_ = ExternalPost.objects.get(source=source)
    assert (post_.text, post_.reach) == ("Hook tea", 5)


def test_hmac_signature(client, source):
    body = json.dumps([{"text": "Signed tea"}]).encode()
    signature = sign(source.secret, body)
    response = post(client, source, body, X_Socialsite_Signature=signature)
    assert response.status_code == 200
    assert response.json()["created"] == 1


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"X-Socialsite-Signature": "sha256=00"},
        {"Authorization": "Basic abc"},
    ],
)
def test_wrong_or_missing_secret(client, source, headers):
    response = post(client, source, ITEMS, **headers)
    assert response.status_code == 401
    assert not ExternalPost.objects.filter(source=source).exists()


def test_only_active_webhook_sources(client):
    other = make_source("import")
    response = post(client, other, ITEMS, Authorization=f"Bearer {other.secret}")
    assert response.status_code == 403
    paused = make_source("webhook")
    paused.active = False
    paused.save()
    response = post(client, paused, ITEMS, Authorization=f"Bearer {paused.secret}")
    assert response.status_code == 403
    assert not ExternalPost.objects.filter(source__in=[other, paused]).exists()


def test_get_is_not_allowed(client, source):
    assert client.get(url_of(source)).status_code == 405


@pytest.mark.parametrize(
    "body", [b"{not json", b"\xff\xfe", b'{"items": 3}', b'"text"', b"[\x00]"]
)
def test_bad_bodies(client, source, body):
    response = post(client, source, body, Authorization=f"Bearer {source.secret}")
    assert response.status_code == 400
    assert "error" in response.json()


@override_settings(COMMUNITY_INSIGHTS_WEBHOOK_MAX_BYTES=100)
def test_too_large(client, source):
    body = json.dumps([{"text": "x" * 200}]).encode()
    response = post(client, source, body, Authorization=f"Bearer {source.secret}")
    assert response.status_code == 413


@override_settings(COMMUNITY_INSIGHTS_WEBHOOK_MAX_ITEMS=1)
def test_too_many_items(client, source):
    body = [{"text": "a"}, {"text": "b"}]
    response = post(client, source, body, Authorization=f"Bearer {source.secret}")
    assert response.status_code == 413


@override_settings(COMMUNITY_INSIGHTS_RATE_LIMITS={"webhook": "2/m/key"})
def test_rate_limited(client, source):
    auth = {"Authorization": f"Bearer {source.secret}"}
    statuses = [post(client, source, [], **auth).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_hostile_values_are_sanitized(client, source):
    items = [
        {
            "text": "<img src=x onerror=alert(1)>Real words",
            "title": "<b>T</b>",
            "author_handle": "@x<b>y</b>",
            "reach": 10**40,
            "language": "<script>",
        }
    ]
    response = post(client, source, items, Authorization=f"Bearer {source.secret}")
    assert response.status_code == 200
    data = response.json()
    # A reach beyond any count is refused with a reason.
    assert data["created"] == 0 and "reach" in data["errors"][0]["error"]
    items[0]["reach"] = 3
    response = post(client, source, items, Authorization=f"Bearer {source.secret}")
    stored = ExternalPost.objects.get(source=source)
    assert stored.text == "Real words" and stored.title == "T"
    assert stored.language == "en"
