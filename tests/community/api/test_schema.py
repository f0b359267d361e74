"""The OpenAPI schema against the running API (schemathesis): generated
requests, hostile ones included, never get a 5xx, and the answers match the
schema. Also the docs page and hand-picked hostile input."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)


@pytest.fixture
def wsgi_app(db):
    """The WSGI application, called in this test's transaction (as Django's
    test client does, the connection stays open between requests)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_api_matches_its_schema(wsgi_app, api_key, page, board, post):
    """Every operation of the schema, with generated (and hostile) data, as
    an app with a key calls it: no 5xx, answers as the schema says."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    headers = {"X-Api-Key": api_key["HTTP_X_API_KEY"]}
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=5,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=checks)

        run()


def test_schema_and_docs_page(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert "/api/v1/comments/" in paths and "/api/v1/pages/" in paths
    assert not any(path.startswith("/admin") for path in paths)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content
    assert b"https://cdn" not in docs.content
    assert b"<style" not in docs.content and b"<script>" not in docs.content
    assert client.get("/api/docs/?script=").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/posts/99999999999999999999999/",
        "/api/v1/posts/?board=99999999999999999999999",
        "/api/v1/posts/?board=%00",
        "/api/v1/posts/?tag=%00",
        "/api/v1/posts/?sort=nope",
        "/api/v1/pages/?type=%00",
        "/api/v1/pages/?type=nope.nope",
        "/api/v1/pages/?page=99999999999999999999",
        "/api/v1/comments/?content_type=x&object_id=1",
        "/api/v1/comments/",
        "/api/v1/posts/?page_size=100000",
    ],
)
def test_hostile_reads_are_4xx_or_empty(client, api_key, url):
    response = client.get(url, **api_key)
    assert response.status_code < 500
    assert response.status_code in (200, 400, 404)


COMMENT = {"content_type": "testapp.commentablepage", "object_id": 1, "comment": "x"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe\x00",
        json.dumps({**COMMENT, "comment": "a\u0000b"}).encode(),
        json.dumps(COMMENT).replace(": 1,", ": " + "9" * 30 + ",").encode(),
        json.dumps(
            {"content_type": "x" * 10_000, "object_id": 1, "comment": "y"}
        ).encode(),
        json.dumps(
            {
                "content_type": "testapp.commentablepage",
                "object_id": 1,
                "comment": "z" * 50_000,
            }
        ).encode(),
        b"[]",
        b"null",
    ],
)
def test_hostile_writes_are_4xx(client, token_for, member, page, body):
    response = client.post(
        "/api/v1/comments/",
        body,
        content_type="application/json",
        **token_for(member),
    )
    assert 400 <= response.status_code < 500, response.content
