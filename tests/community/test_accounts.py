"""Sign-up, verification, sign-in security, the member menu and pages."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from community.adapter import get_adapter
from community.models import Profile
from sharing import app_settings as sharing_settings
from sharing.models import PublishAttempt
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_email_signup_verification_and_profile(client, mailoutbox, unique_email):
    response = client.post(
        "/accounts/signup/",
        {
            "email": unique_email,
            "password1": "a-long-tea-password-77",
            "password2": "a-long-tea-password-77",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email=unique_email)
    # The public username says nothing about the e-mail address.
    assert unique_email.split("@")[0] not in user.username
    assert user.username.startswith("member")
    assert Profile.objects.filter(user=user).exists()
    assert (
        get_adapter().participation_denied(user)
        == "Confirm your e-mail address to take part."
    )
    # On the Wagtail Site's root URL (tests/community/test_site_urls.py).
    link = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mailoutbox[0].body
    )
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert get_adapter().participation_denied(user) is None
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failed_logins_are_rate_limited(client, unique_email):
    MemberFactory(email=unique_email)
    pages = [
        client.post(
            "/accounts/login/", {"login": unique_email, "password": "wrong"}
        ).content.decode()
        for _ in range(6)
    ]
    assert not any("Too many failed login attempts" in page for page in pages[:5])
    assert "Too many failed login attempts" in pages[5]
    # Even the right password is refused while the limit holds.
    response = client.post(
        "/accounts/login/", {"login": unique_email, "password": "correct-horse-9"}
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_spoofed_forwarded_for_does_not_reset_the_limit(client, settings, unique_email):
    """No proxy declared: X-Forwarded-For is the visitor's own text and ignored."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [
        client.post(
            "/accounts/login/",
            {"login": f"{i}{unique_email}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_trusted_proxy_gives_each_client_its_own_limit(client, settings, unique_email):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for ip in ["198.51.100.1", "198.51.100.2"]:
        for _ in range(2):
            response = client.post(
                "/accounts/login/",
                {"login": unique_email, "password": "x"},
                HTTP_X_FORWARDED_FOR=f"10.9.9.9, {ip}",
            )
            assert response.status_code == 200
    # The spoofed first entry changes nothing: the proxy's entry counts.
    response = client.post(
        "/accounts/login/",
        {"login": unique_email, "password": "x"},
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_never_leaves_the_site(client, target, unique_email):
    MemberFactory(email=unique_email)
    response = client.post(
        f"/accounts/login/?next={target}",
        {"login": unique_email, "password": "correct-horse-9", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_next_within_the_site_is_kept(client, unique_email):
    MemberFactory(email=unique_email)
    response = client.post(
        "/accounts/login/",
        {
            "login": unique_email,
            "password": "correct-horse-9",
            "next": "/en/community/account/",
        },
    )
    assert response["Location"] == "/en/community/account/"


def test_sign_out_needs_a_post(client):
    member = MemberFactory()
    client.force_login(member)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200  # a confirmation page, still signed in
    assert client.session.get("_auth_user_id") == str(member.pk)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_member_pages(client):
    member = MemberFactory()
    profile = Profile.for_user(member)
    profile.display_name = "Zhou Ming"
    profile.bio = "I <b>love</b> pu'er"
    profile.save()
    profile.interests.set(["pu'er"])
    client.force_login(member)
    page = client.get(f"/zh-hans/community/members/{member.pk}/").content.decode()
    assert "Zhou Ming" in page and "I &lt;b&gt;love&lt;/b&gt; pu&#x27;er" in page
    assert "编辑资料" in page
    by_name = client.get(f"/en/community/members/{member.username}/")
    assert by_name.status_code == 200
    assert client.get("/en/community/members/nobody-here/").status_code == 404
    member.is_active = False
    member.save()
    assert client.get(f"/en/community/members/{member.pk}/").status_code == 404


def test_visitors_never_reach_the_admin(client):
    client.force_login(MemberFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_settings_saves_profile_and_is_rate_limited(client, settings):
    settings.COMMUNITY_RATE_LIMITS = {"profile_update": "2/m/user"}
    member = MemberFactory()
    client.force_login(member)
    url = reverse("community:account_settings")
    data = {"display_name": "Ming", "region": "Yunnan", "interests": "pu'er, oolong"}
    assert client.post(url, data).status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.region == "Yunnan"
    assert sorted(profile.interests.names()) == ["oolong", "pu'er"]
    page = client.get(url).content.decode()
    assert 'value="oolong, pu&#x27;er"' in page
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 429


@pytest.mark.parametrize(
    "url, signed_in",
    [
        ("/accounts/login/", False),
        ("/accounts/signup/", False),
        ("/accounts/password/reset/", False),
        ("/accounts/password/reset/done/", False),
        ("/accounts/confirm-email/", False),
        ("/accounts/email/", True),
        ("/accounts/password/change/", True),
        ("/accounts/3rdparty/", True),
        ("/accounts/logout/", True),
    ],
)
def test_allauth_pages_wear_the_site_layout(client, url, signed_in):
    if signed_in:
        client.force_login(MemberFactory())
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="site-header"' in page and "auth-body" in page
    assert "community/community.css" in page
    assert '<html lang="zh-hans"' in page
    if signed_in:
        assert 'class="account-tabs"' in page


def test_a_signup_counts_for_the_own_media_post_it_came_from(client, unique_email):
    """A visitor arrives from a company post on Weibo (its link carries the
    post in utm_campaign), opens the sign-up page and signs up: the post
    counts one sign-up (sharing.publishing), and a sign-up that came from
    nowhere counts for no post."""
    attempt = PublishAttempt.objects.create(
        platform="weibo",
        object_kind="page",
        object_id=1,
        url="http://testserver/en/",
    )
    campaign = f"{sharing_settings.PUBLISH_UTM_CAMPAIGN_PREFIX}{attempt.pk}"
    landing = f"http://testserver/en/?utm_source=weibo&utm_campaign={campaign}"
    assert client.get("/accounts/signup/", HTTP_REFERER=landing).status_code == 200
    form = {
        "password1": "a-long-tea-password-77",
        "password2": "a-long-tea-password-77",
    }
    response = client.post("/accounts/signup/", {"email": unique_email, **form})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.signups == 1

    client.logout()
    response = client.post(
        "/accounts/signup/", {"email": f"other-{unique_email}", **form}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.signups == 1
