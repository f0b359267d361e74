"""Community → OAuth apps in the Wagtail admin: editors register the apps
that sign members in (django-oauth-toolkit's applications); the client
secret of a confidential app is shown once and stored hashed; redirect URIs
are checked as DOT checks them; an app made here completes the PKCE flow."""

import re

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from oauth2_provider.models import Application

from tests.community.api.test_pkce import (
    REDIRECT,
    code_request,
    pkce_pair,
    sign_in_and_consent,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/community/api/apps/"


@pytest.fixture
def admin_client(django_user_model):
    """A superuser's browser (its own, apart from ``client``)."""
    admin = django_user_model.objects.create_superuser(
        "apps-admin", "apps-admin@example.com", "correct-horse-9"
    )
    browser = Client()
    browser.force_login(admin)
    return browser


def editor_with(*codenames):
    """An editor of the Wagtail admin with these permissions (and no more)."""
    group = Group.objects.create(name=f"Editors {'-'.join(codenames) or 'none'}")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", *codenames],
            content_type__app_label__in=[
                "wagtailadmin",
                "oauth2_provider",
                "community_api",
            ],
        )
    )
    user = UserFactory(username=f"editor-{len(codenames)}", is_staff=True)
    user.save()
    user.groups.add(group)
    return user


def shown_value(response, field_id):
    match = re.search(
        rf'id="{field_id}" value="([^"]*)"', response.content.decode(), re.S
    )
    assert match, response.content.decode()[:2000]
    return match.group(1)


def stored_secret(app):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_secret FROM oauth2_provider_application WHERE id = %s",
            [app.pk],
        )
        return cursor.fetchone()[0]


def register(client, **data):
    return client.post(
        f"{URL}add/",
        {
            "name": "Tea app",
            "client_type": "public",
            "redirect_uris": REDIRECT,
            **data,
        },
    )


def test_public_app_is_registered_for_the_code_grant_only(admin_client):
    response = register(
        admin_client,
        redirect_uris=f"{REDIRECT}\r\nhttps://app.example.com/cb\n{REDIRECT}",
        # Not offered by the form: ignored.
        authorization_grant_type="password",
        algorithm="HS256",
        skip_authorization="on",
    )
    assert response.status_code == 200, response.context["form"].errors
    app = Application.objects.get(name="Tea app")
    assert app.client_type == "public"
    assert app.authorization_grant_type == "authorization-code"
    assert app.algorithm == ""
    assert app.skip_authorization is False
    assert app.redirect_uris == f"{REDIRECT} https://app.example.com/cb"
    page = response.content.decode()
    assert shown_value(response, "oauth-app-client-id") == app.client_id
    assert "oauth-app-client-secret" not in page
    assert "no-store" in response["Cache-Control"]

    listing = admin_client.get(URL)
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Tea app" in text and app.client_id in text
    assert "https://app.example.com/cb" in text and "Public" in text
    edit = admin_client.get(f"{URL}edit/{app.pk}/")
    assert shown_value(edit, "oauth-app-client-id") == app.client_id
    assert "https://app.example.com/cb" in edit.content.decode()


def test_confidential_secret_is_shown_once_and_stored_hashed(admin_client):
    response = register(admin_client, name="Tea server", client_type="confidential")
    assert response.status_code == 200, response.context["form"].errors
    app = Application.objects.get(name="Tea server")
    secret = shown_value(response, "oauth-app-client-secret")
    assert len(secret) >= 40
    at_rest = stored_secret(app)
    assert at_rest != secret and secret not in at_rest
    assert check_password(secret, at_rest)
    assert app.hash_client_secret is True
    assert "no-store" in response["Cache-Control"]
    # Never again: not in the list, not on the edit page.
    for url in (URL, f"{URL}edit/{app.pk}/", f"{URL}?q=Tea"):
        page = admin_client.get(url)
        assert page.status_code == 200
        assert secret not in page.content.decode()
        assert at_rest not in page.content.decode()


def test_editing_keeps_the_secret_and_generating_replaces_it(admin_client):
    created = register(admin_client, name="Tea server", client_type="confidential")
    app = Application.objects.get(name="Tea server")
    first = shown_value(created, "oauth-app-client-secret")
    edit_url = f"{URL}edit/{app.pk}/"
    data = {
        "name": "Tea server 2",
        "client_type": "confidential",
        "redirect_uris": "https://tea.example.com/cb",
    }

    kept = admin_client.post(edit_url, data)
    assert kept.status_code == 302
    app.refresh_from_db()
    assert app.name == "Tea server 2"
    assert check_password(first, stored_secret(app))

    renewed = admin_client.post(edit_url, {**data, "new_secret": "on"})
    assert renewed.status_code == 200
    second = shown_value(renewed, "oauth-app-client-secret")
    assert second != first
    assert check_password(second, stored_secret(app))
    assert not check_password(first, stored_secret(app))
    assert second not in admin_client.get(edit_url).content.decode()


def test_public_app_has_no_secret_to_renew_until_it_becomes_confidential(
    admin_client,
):
    register(admin_client)
    app = Application.objects.get(name="Tea app")
    edit_url = f"{URL}edit/{app.pk}/"
    data = {"name": "Tea app", "client_type": "public", "redirect_uris": REDIRECT}
    refused = admin_client.post(edit_url, {**data, "new_secret": "on"})
    assert refused.status_code == 200
    assert "new_secret" in refused.context["form"].errors
    # Becoming confidential makes a secret, shown once.
    changed = admin_client.post(edit_url, {**data, "client_type": "confidential"})
    assert changed.status_code == 200
    secret = shown_value(changed, "oauth-app-client-secret")
    app.refresh_from_db()
    assert app.client_type == "confidential"
    assert check_password(secret, stored_secret(app))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"redirect_uris": "javascript:alert(1)"}, "redirect_uris"),
        ({"redirect_uris": "JavaScript://x.example.com/%0aalert(1)"}, "redirect_uris"),
        ({"redirect_uris": "https://app.example.com/cb#frag"}, "redirect_uris"),
        ({"redirect_uris": "https://"}, "redirect_uris"),
        ({"redirect_uris": "https://[::1/cb"}, "redirect_uris"),
        ({"redirect_uris": "   "}, "redirect_uris"),
        ({"redirect_uris": "https://a.example.com/\x00"}, "redirect_uris"),
        ({"redirect_uris": "https://a.example.com/" + "x" * 3000}, "redirect_uris"),
        ({"redirect_uris": "https://a.example.com/x " * 2000}, "redirect_uris"),
        ({"name": "Tea\x00app"}, "name"),
        ({"name": "T" * 300}, "name"),
        ({"name": ""}, "name"),
        ({"client_type": "root"}, "client_type"),
    ],
)
def test_bad_input_is_a_form_error(admin_client, data, field):
    response = register(admin_client, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Application.objects.filter(name__startswith="T").exists()


def test_production_schemes_refuse_http(admin_client, settings):
    # As socialsite/settings/production.py sets it (with OAUTH2_REDIRECT_SCHEMES).
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "com.example.tea"],
    }
    refused = register(admin_client, redirect_uris="http://app.example.com/cb")
    assert refused.status_code == 200
    errors = refused.context["form"].errors["redirect_uris"]
    assert "https:, com.example.tea:" in errors[0]
    assert not Application.objects.filter(name="Tea app").exists()
    allowed = register(
        admin_client,
        redirect_uris="https://app.example.com/cb\ncom.example.tea:/oauth/cb",
    )
    assert allowed.status_code == 200, allowed.context["form"].errors
    app = Application.objects.get(name="Tea app")
    assert app.redirect_uris == "https://app.example.com/cb com.example.tea:/oauth/cb"


def test_delete(admin_client):
    register(admin_client)
    app = Application.objects.get(name="Tea app")
    assert admin_client.get(f"{URL}delete/{app.pk}/").status_code == 200
    assert admin_client.post(f"{URL}delete/{app.pk}/").status_code == 302
    assert not Application.objects.filter(pk=app.pk).exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.post(f"{URL}add/", {"name": "X"}).status_code == 302
    assert not Application.objects.filter(name="X").exists()


def test_editor_without_the_permissions_gets_no_menu_and_no_screen(client):
    # They look after API keys (so the Community menu is there), not apps.
    client.force_login(editor_with("add_apikey", "change_apikey", "view_apikey"))
    menu = client.get("/admin/").content.decode()
    assert "API keys" in menu
    assert "OAuth apps" not in menu
    listing = client.get(URL)
    assert listing.status_code in (302, 403)
    if listing.status_code == 302:
        assert listing["Location"] in ("/admin/", "/admin")
    created = register(client)
    assert created.status_code in (302, 403)
    assert not Application.objects.filter(name="Tea app").exists()


def test_editor_with_the_permissions_and_the_superuser_get_the_screen(
    client, admin_client
):
    assert "OAuth apps" in admin_client.get("/admin/").content.decode()
    client.force_login(
        editor_with("add_application", "change_application", "delete_application")
    )
    assert "OAuth apps" in client.get("/admin/").content.decode()
    assert client.get(URL).status_code == 200
    assert register(client).status_code == 200
    assert Application.objects.filter(name="Tea app").exists()


def test_app_registered_here_completes_the_pkce_flow(admin_client, client, member):
    created = register(admin_client, name="Tea app", client_type="confidential")
    app = Application.objects.get(name="Tea app")
    secret = shown_value(created, "oauth-app-client-secret")
    verifier, challenge = pkce_pair()
    code = sign_in_and_consent(client, app, member, challenge)
    token_request = code_request(app, code, verifier)
    app_client = type(client)()
    wrong = app_client.post(
        "/api/oauth/token/", {**token_request, "client_secret": "not-the-secret"}
    )
    assert wrong.status_code == 401
    token = app_client.post(
        "/api/oauth/token/", {**token_request, "client_secret": secret}
    )
    assert token.status_code == 200, token.content
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token.json()['access_token']}"}
    assert app_client.get("/api/v1/me/", **headers).json()["id"] == member.pk


def test_public_app_registered_here_completes_the_pkce_flow(
    admin_client, client, member
):
    register(admin_client)
    app = Application.objects.get(name="Tea app")
    verifier, challenge = pkce_pair()
    code = sign_in_and_consent(client, app, member, challenge)
    token = type(client)().post("/api/oauth/token/", code_request(app, code, verifier))
    assert token.status_code == 200, token.content
    assert token.json()["access_token"]


def test_the_name_opens_the_edit_view(admin_client):
    app = Application.objects.create(
        name="Listed tea app",
        client_type="public",
        authorization_grant_type="authorization-code",
        redirect_uris="https://app.example/callback",
    )
    response = admin_client.get("/admin/community/api/apps/")
    assert response.status_code == 200
    edit = f'href="/admin/community/api/apps/edit/{app.pk}/"'
    assert edit in response.content.decode()
