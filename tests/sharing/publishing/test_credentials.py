"""The own-media accounts' secrets: encrypted at rest (the database holds no
plaintext), keys rotated with MultiFernet, never shown again in the admin."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from wagtail.admin.panels import ObjectList

from sharing import credentials
from sharing.models import OwnMediaAccount, SharingSettings

SECRETS = {
    "access_token": "plain-access-token-123",
    "refresh_token": "plain-refresh-token-456",
    "client_secret": "plain-app-secret-789",
}


def raw_rows(pk):
    table = connection.ops.quote_name(OwnMediaAccount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT access_token, refresh_token, client_secret FROM {table} "  # noqa: S608
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


@pytest.fixture
def account(account_factory):
    return account_factory("x", **SECRETS)


def test_the_database_holds_no_plaintext_secret(account):
    stored = raw_rows(account.pk)
    for value, secret in zip(stored, SECRETS.values(), strict=True):
        assert value.startswith(credentials.PREFIX)
        assert secret not in value
    table = connection.ops.quote_name(OwnMediaAccount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        everything = repr(cursor.fetchall())
    for secret in SECRETS.values():
        assert secret not in everything
    fresh = OwnMediaAccount.objects.get(pk=account.pk)
    assert fresh.access_token == SECRETS["access_token"]


def test_refreshed_tokens_are_encrypted_too(account):
    account.store_tokens(access_token="new-plain-token", expires_in=60)
    assert "new-plain-token" not in repr(raw_rows(account.pk))
    assert OwnMediaAccount.objects.get(pk=account.pk).access_token == "new-plain-token"


def test_key_rotation(account, settings):
    old_key = credentials.derive_key(settings.SECRET_KEY).decode()
    new_key = Fernet.generate_key().decode()
    settings.SHARING_CREDENTIALS_KEYS = [new_key, old_key]
    # Old values read with the old key while it is listed.
    assert (
        OwnMediaAccount.objects.get(pk=account.pk).access_token
        == (SECRETS["access_token"])
    )
    call_command("rotate_sharing_credentials", verbosity=0)
    settings.SHARING_CREDENTIALS_KEYS = [new_key]
    assert (
        OwnMediaAccount.objects.get(pk=account.pk).client_secret
        == (SECRETS["client_secret"])
    )
    # Without the right key a value reads as "not set", never as ciphertext.
    settings.SHARING_CREDENTIALS_KEYS = [Fernet.generate_key().decode()]
    assert OwnMediaAccount.objects.get(pk=account.pk).access_token == ""


def test_secrets_stay_out_of_the_site_snapshot(account, share_site, rf):
    from sharing import sitedata

    snapshot = sitedata.build(share_site, "en")
    import pickle

    data = pickle.dumps(snapshot)
    for secret in SECRETS.values():
        assert secret.encode() not in data


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    return client


def settings_url(site):
    return reverse("wagtailsettings:edit", args=["sharing", "sharingsettings", site.pk])


def test_the_settings_form_never_shows_a_secret(admin_client, account, share_site):
    response = admin_client.get(settings_url(share_site))
    assert response.status_code == 200
    html = response.content.decode()
    for secret in SECRETS.values():
        assert secret not in html
    assert "Current value" in html and "not set" not in html.split("api_base")[0]


def test_blank_secret_keeps_the_value_and_remove_clears_it(
    admin_client, account, share_site
):
    from sharing.credentials import KEEP, SecretFormField

    field = SecretFormField()
    assert field.clean("") is KEEP
    assert field.clean(None) is None
    assert field.clean("new") == "new"
    account._meta.get_field("access_token").save_form_data(account, KEEP)
    assert account.access_token == SECRETS["access_token"]
    account._meta.get_field("access_token").save_form_data(account, None)
    assert account.access_token == ""
    widget = field.widget
    assert widget.value_from_datadict({"x-clear": "on"}, {}, "x") is None
    assert widget.value_from_datadict({"x": ""}, {}, "x") == ""
    html = widget.render("x", "top-secret")
    assert "top-secret" not in html and "set" in html


def account_form(account, data):
    """The account's admin form (its panels), as the settings page builds it."""
    form_class = (
        ObjectList(OwnMediaAccount.panels)
        .bind_to_model(OwnMediaAccount)
        .get_form_class()
    )
    return form_class(data, instance=account)


def test_form_saved_without_typing_keeps_the_secrets(account):
    data = {
        "platform": "x",
        "label": "Renamed",
        "handle": "cloudmist",
        "client_id": "x-client",
        "access_token": "",
        "refresh_token": "",
        "client_secret": "",
        "show_in_footer": "on",
    }
    form = account_form(account, data)
    assert form.is_valid(), form.errors
    form.save()
    account = OwnMediaAccount.objects.get(pk=account.pk)
    assert account.label == "Renamed"
    assert account.access_token == SECRETS["access_token"]
    assert account.client_secret == SECRETS["client_secret"]
    # A typed value replaces; "Remove" clears.
    data.update(access_token="typed-token", **{"refresh_token-clear": "on"})
    form = account_form(account, data)
    assert form.is_valid(), form.errors
    form.save()
    account = OwnMediaAccount.objects.get(pk=account.pk)
    assert account.access_token == "typed-token"
    assert account.refresh_token == ""
    assert account.client_secret == SECRETS["client_secret"]
    # The rendered form shows none of them.
    html = str(account_form(account, None)["client_secret"])
    assert SECRETS["client_secret"] not in html and "set" in html


def test_setting_exists(share_site):
    assert SharingSettings.for_site(share_site).pk


@pytest.mark.parametrize(
    "keys,error",
    [("not-a-list", "sharing.E030"), (["short"], "sharing.E031"), ([], None)],
)
def test_key_setting_is_checked(settings, keys, error):
    from sharing.checks import check_publishing

    settings.SHARING_CREDENTIALS_KEYS = keys
    ids = [message.id for message in check_publishing(None)]
    assert ids == ([error] if error else [])
