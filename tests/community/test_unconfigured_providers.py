"""Every installed social login provider has public login and callback URLs;
one the site has not configured answers 404 to whoever asks, not a server
error (security issue 20: crafted input never gives a 500)."""

import pytest
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers import registry
from django.contrib.sites.models import Site
from django.test import Client
from django.urls import NoReverseMatch, reverse

from community.adapters import ProviderNotConfigured, SocialAccountAdapter

pytestmark = pytest.mark.django_db

PROVIDERS = [
    provider.id
    for provider in registry.get_class_list()
    if provider.uses_apps and provider.id != "openid_connect"
]


def login_urls(provider_id):
    for name in ("login", "callback"):
        try:
            yield reverse(f"{provider_id}_{name}")
        except NoReverseMatch:
            pass


@pytest.mark.parametrize("provider_id", PROVIDERS)
def test_an_unconfigured_provider_is_a_404(provider_id):
    client = Client(raise_request_exception=False)
    urls = list(login_urls(provider_id))
    assert urls
    for url in urls:
        assert client.get(url, follow=True).status_code in (404, 405), url
        assert client.post(url, follow=True).status_code in (404, 405), url


def test_a_configured_provider_still_starts_its_login():
    app = SocialApp.objects.create(provider="github", name="GitHub", client_id="i-1")
    app.sites.add(Site.objects.get_current())
    response = Client().post(reverse("github_login"))
    assert response.status_code == 302
    assert response["Location"].startswith("https://github.com/login/oauth/")


def test_the_404_is_still_what_allauth_catches():
    with pytest.raises(SocialApp.DoesNotExist) as raised:
        SocialAccountAdapter().get_app(None, provider="weibo")
    assert isinstance(raised.value, ProviderNotConfigured)
