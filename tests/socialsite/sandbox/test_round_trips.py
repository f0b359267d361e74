"""Sign-in through each imitation server with the Django test client: the
site's button, the consent page, the callback; the second sign-in finds the
same member; "Deny" ends on allauth's cancelled page."""

import pytest
from allauth.socialaccount.models import SocialAccount

from community.models import Profile

from .conftest import (
    confirmation_path,
    consent,
    path_of,
    query_of,
    signed_in_user,
    start,
)

pytestmark = pytest.mark.django_db

NO_EMAIL = ["weixin", "qq", "weibo"]


@pytest.mark.parametrize("provider", NO_EMAIL)
def test_sign_in_creates_a_member_and_the_second_reuses_it(
    client, sandbox, provider, mailoutbox, django_capture_on_commit_callbacks
):
    nickname = f"茶客 {provider}"
    back = consent(client, start(client, provider), nickname=nickname)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(path_of(back))
        # No e-mail address from these services: the site asks for one.
        assert response.status_code == 302, response.content[:2000]
        assert response["Location"] == "/accounts/3rdparty/signup/"
        email = f"tea-{provider}@example.com"
        response = client.post("/accounts/3rdparty/signup/", {"email": email})
    assert response.status_code == 302
    account = SocialAccount.objects.get(user__email=email)
    assert account.provider == provider
    assert Profile.objects.get(user=account.user).display_name == nickname
    response = client.post(confirmation_path(mailoutbox))
    assert signed_in_user(client) == account.user

    client.logout()
    back = consent(client, start(client, provider), nickname=nickname)
    response = client.get(path_of(back))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert signed_in_user(client) == account.user
    assert SocialAccount.objects.filter(uid=account.uid, provider=provider).count() == 1


def test_openid_connect_signs_in_at_once_and_again(client, sandbox):
    back = consent(client, start(client, "openid_connect"), nickname="Jade Wu")
    response = client.get(path_of(back))
    assert response.status_code == 302, response.content[:2000]
    user = signed_in_user(client)
    assert user is not None
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "openid"
    assert user.email.endswith("@id.sandbox.example")
    assert Profile.objects.get(user=user).display_name == "Jade Wu"

    client.logout()
    back = consent(client, start(client, "openid_connect"), nickname="Jade Wu")
    client.get(path_of(back))
    assert signed_in_user(client) == user
    assert SocialAccount.objects.filter(uid=account.uid).count() == 1


@pytest.mark.parametrize("provider", [*NO_EMAIL, "openid_connect"])
def test_deny_ends_on_the_cancelled_page(client, sandbox, provider):
    back = consent(client, start(client, provider), decision="deny")
    assert "code" not in query_of(back)
    response = client.get(path_of(back))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/login/cancelled/"
    response = client.get(response["Location"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Login Cancelled" in html
    assert 'class="auth-body' in html  # the site's own layout
    assert signed_in_user(client) is None


def test_inside_wechat_the_in_app_flow_is_imitated_too(client, sandbox):
    ua = {
        "HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 "
        "Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI"
    }
    location = start(client, "weixin", **ua)
    assert "/sandbox-oauth/weixin/connect/oauth2/authorize?" in location
    assert location.endswith("#wechat_redirect")
    assert query_of(location.split("#")[0])["scope"] == "snsapi_userinfo"
    back = consent(client, location.split("#")[0], nickname="微信里的茶友")
    response = client.get(path_of(back), **ua)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/signup/"
