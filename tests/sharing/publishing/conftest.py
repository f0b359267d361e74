"""Fixtures of the publishing tests: the imitation platforms on loopback
(tests/sharing/fakes.py), the publishers pointed at them, and an own-media
account per platform with its credentials."""

import pytest
from django.test import override_settings

from sharing.models import OwnMediaAccount, SharingSettings
from tests.sharing.conftest import make_image
from tests.sharing.fakes import WEBHOOK_SECRET, FakePlatforms

PLATFORMS = ["weibo", "wechat", "x", "linkedin", "mastodon", "telegram", "webhook"]


@pytest.fixture(scope="module")
def fake_server():
    server = FakePlatforms().start()
    yield server
    server.stop()


@pytest.fixture
def fake(fake_server):
    """The imitation platforms, reset, with the publishers pointed at them
    and short timeouts (the "timeout" mode answers after a second)."""
    fake_server.modes.clear()
    fake_server.posts.clear()
    fake_server.requests.clear()
    fake_server.tokens.clear()
    fake_server.refresh_tokens.clear()
    fake_server.idempotency.clear()
    fake_server.wechat_apps.clear()
    fake_server.tokens.update(
        {"weibo-token", "x-token", "li-token", "md-token", "123:tg-token"}
    )
    fake_server.wechat_apps["wx-app"] = "wx-secret"
    bases = dict.fromkeys(PLATFORMS, fake_server.url)
    with override_settings(
        SHARING_PUBLISH_API_BASES=bases,
        SHARING_PUBLISH_TIMEOUT=(1, 0.3),
        SHARING_PUBLISH_RETRY_DELAY=60,
    ):
        yield fake_server


def credentials(fake, platform):
    """The fields of a working account on `platform` at the fake server."""
    return {
        "weibo": {"handle": "cloudmist", "access_token": "weibo-token"},
        "wechat": {"client_id": "wx-app", "client_secret": "wx-secret"},
        "x": {
            "handle": "cloudmist",
            "client_id": "x-client",
            "client_secret": "x-secret",
            "access_token": "x-token",
            "refresh_token": "",
        },
        "linkedin": {
            "handle": "urn:li:organization:42",
            "client_id": "li-client",
            "client_secret": "li-secret",
            "access_token": "li-token",
        },
        "mastodon": {
            "handle": "@cloudmist@fake.test",
            "api_base": fake.url,
            "access_token": "md-token",
        },
        "telegram": {"handle": "@cloudmist", "access_token": "123:tg-token"},
        "webhook": {
            "api_base": f"{fake.url}/hook",
            "client_secret": WEBHOOK_SECRET,
            "handle": "crm",
        },
    }[platform]


@pytest.fixture
def account_factory(share_site, fake):
    settings = SharingSettings.for_site(share_site)

    def create(platform, **fields):
        values = {
            "settings": settings,
            "platform": platform,
            "label": f"Cloudmist on {platform}",
            **credentials(fake, platform),
            **fields,
        }
        return OwnMediaAccount.objects.create(**values)

    return create


@pytest.fixture
def cover(db):
    return make_image("Cover", size=(900, 500))
