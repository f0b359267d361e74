"""The API app in the Wagtail admin: keys and secrets shown once, the
delivery log read-only with "Send again"."""

import pytest
from django.contrib.messages import get_messages

from community.api.models import ApiKey, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "api-admin", "api-admin@example.com", "correct-horse-9"
    )
    client.force_login(admin)
    return client


def shown(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_api_key_is_shown_once_and_stored_hashed(admin_client):
    response = admin_client.post(
        "/admin/community/api/keys/add/", {"name": "Kiosk", "active": "on"}
    )
    assert response.status_code == 302, response.context["form"].errors
    message = shown(response)
    key = message.split(": ", 1)[1].split(" ", 1)[0]
    assert key.startswith("ssk_")
    record = ApiKey.objects.get(name="Kiosk")
    assert ApiKey.find(key) == record
    assert key not in record.digest
    # On the next page, once; never again.
    assert key in admin_client.get("/admin/community/api/keys/").content.decode()
    assert key not in admin_client.get("/admin/community/api/keys/").content.decode()


def test_webhook_secret_is_shown_once_and_kept_on_edit(admin_client):
    response = admin_client.post(
        "/admin/community/api/webhooks/add/",
        {
            "name": "CRM",
            "url": "https://crm.example.com/hook",
            "events": ["post.created"],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    secret = shown(response).split("Its secret: ")[1].split(" ")[0]
    hook = WebhookEndpoint.objects.get(name="CRM")
    assert hook.secret == secret and hook.events == ["post.created"]
    edited = admin_client.post(
        f"/admin/community/api/webhooks/edit/{hook.pk}/",
        {"name": "CRM 2", "url": hook.url, "events": ["post.created"]},
    )
    assert edited.status_code == 302
    assert WebhookEndpoint.objects.get(pk=hook.pk).secret == secret
    bad = admin_client.post(
        "/admin/community/api/webhooks/add/",
        {"name": "Bad", "url": "ftp://x.example.com/", "events": ["nope"]},
    )
    assert bad.status_code == 200
    assert not WebhookEndpoint.objects.filter(name="Bad").exists()


def test_delivery_log_and_send_again(admin_client, settings):
    settings.COMMUNITY_API_WEBHOOK_ALLOW_PRIVATE = False
    hook = WebhookEndpoint(name="CRM", url="https://127.0.0.1/hook", events=[])
    hook.set_secret("whsec_x")
    hook.save()
    delivery = WebhookDelivery.objects.create(
        endpoint=hook,
        event="post.created",
        payload={"a": 1},
        status="failed",
        error="The endpoint answered 500",
    )
    listing = admin_client.get("/admin/community/api/deliveries/")
    assert listing.status_code == 200
    assert "The endpoint answered 500" in listing.content.decode()
    assert "/admin/community/api/deliveries/add/" not in listing.content.decode()
    url = f"/admin/community/api/deliveries/{delivery.pk}/send-again/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url).status_code == 302
    assert WebhookDelivery.objects.filter(endpoint=hook).count() == 2
