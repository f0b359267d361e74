"""The editors' side: the "Publish to own media" panel in the page editor,
and Reports → Own-media posts with each post's state, link, error, visits
and sign-ups, retry and cancel."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text
from wagtail.test.utils.form_data import streamfield as stream_data

from sharing.models import OwnMediaPost, PublishAttempt
from tests.testapp.models import NotePage


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "chief", "chief@example.com", "pw"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def page_form(title, posts):
    return nested_form_data(
        {
            "title": title,
            "slug": "harvest-note",
            "summary": rich_text("<p>The first flush.</p>"),
            "body": stream_data([]),
            "own_media_posts": inline_formset(posts),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )


def test_page_editor_publishes_to_own_media(
    admin_client, share_site, fake, account_factory, django_capture_on_commit_callbacks
):
    weibo = account_factory("weibo")
    mastodon = account_factory("mastodon")
    home = share_site.root_page
    add_url = reverse("wagtailadmin_pages:add", args=["testapp", "notepage", home.pk])
    response = admin_client.get(add_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Publish to own media" in html
    # The preview's rules ride on the account options; accounts of platforms
    # that cannot publish are not offered.
    assert "sharing/own_media_posts.js" in html
    assert 'data-platform="weibo"' in html and 'data-max-length="2000"' in html
    assert 'data-link-length="23"' in html  # Mastodon counts links as 23

    data = page_form(
        "Harvest note",
        [
            {"account": weibo.pk, "text": "First flush", "hashtags": "tea"},
            {"account": mastodon.pk, "text": "First flush", "hashtags": ""},
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(add_url, data)
    assert response.status_code == 302
    page = NotePage.objects.get(slug="harvest-note")
    assert page.live
    attempts = PublishAttempt.objects.filter(object_id=page.pk)
    assert sorted(a.platform for a in attempts) == ["mastodon", "weibo"]
    assert {a.state for a in attempts} == {"sent"}

    # The report lists them, with links to the remote posts.
    response = admin_client.get(reverse("own_media_posts:index"))
    html = response.content.decode()
    for attempt in attempts:
        assert attempt.remote_url in html
    assert "Harvest note" in html


def test_too_long_post_is_refused_in_the_editor(
    admin_client, share_site, fake, account_factory
):
    x = account_factory("x")
    home = share_site.root_page
    add_url = reverse("wagtailadmin_pages:add", args=["testapp", "notepage", home.pk])
    data = page_form("Long", [{"account": x.pk, "text": "t" * 300, "hashtags": ""}])
    response = admin_client.post(add_url, data)
    assert response.status_code == 200
    assert "Too long for X" in response.content.decode()
    assert not NotePage.objects.filter(slug="harvest-note").exists()


@pytest.fixture
def failed_attempt(
    page_factory, fake, account_factory, django_capture_on_commit_callbacks
):
    fake.modes["weibo"] = "malformed"
    page = page_factory(title="Spring harvest")
    OwnMediaPost.objects.create(page=page, account=account_factory("weibo"), text="Hi")
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    attempt = PublishAttempt.objects.get(object_id=page.pk)
    assert attempt.state == "failed"
    return attempt


def test_report_shows_the_error_in_plain_words(admin_client, failed_attempt):
    response = admin_client.get(reverse("own_media_posts:index"))
    html = response.content.decode()
    assert "failed" in html
    assert "The platform&#x27;s answer could not be read." in html
    response = admin_client.get(
        reverse("own_media_posts:inspect", args=[failed_attempt.pk])
    )
    assert response.status_code == 200
    assert reverse("sharing_publishing:retry", args=[failed_attempt.pk]) in (
        response.content.decode()
    )


def test_editor_retries_a_failed_post(
    admin_client, failed_attempt, fake, django_capture_on_commit_callbacks
):
    fake.modes.clear()
    url = reverse("sharing_publishing:retry", args=[failed_attempt.pk])
    response = admin_client.get(url)
    assert response.status_code == 200 and "send it again" in response.content.decode()
    assert PublishAttempt.objects.get(pk=failed_attempt.pk).state == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url)
    assert response.status_code == 302
    failed_attempt.refresh_from_db()
    assert failed_attempt.state == "sent" and failed_attempt.remote_url


def test_editor_cancels_a_post(admin_client, failed_attempt):
    response = admin_client.post(
        reverse("sharing_publishing:cancel", args=[failed_attempt.pk])
    )
    assert response.status_code == 302
    failed_attempt.refresh_from_db()
    assert failed_attempt.state == "cancelled"


def test_posts_are_not_added_or_edited_in_the_report(admin_client, failed_attempt):
    assert admin_client.get(reverse("own_media_posts:add")).status_code in {302, 403}
    edit = reverse("own_media_posts:edit", args=[failed_attempt.pk])
    assert admin_client.get(edit).status_code in {302, 403}
    assert admin_client.post(edit, {"body": "x"}).status_code in {302, 403}
    failed_attempt.refresh_from_db()
    assert failed_attempt.body == "Hi"


def test_who_may_see_and_act(client, django_user_model, failed_attempt):
    viewer = django_user_model.objects.create_user("viewer", password="pw")
    group = Group.objects.create(name="Post viewers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_publishattempt"),
    )
    viewer.groups.add(group)
    client.force_login(viewer)
    assert client.get(reverse("own_media_posts:index")).status_code == 200
    retry = reverse("sharing_publishing:retry", args=[failed_attempt.pk])
    assert client.post(retry).status_code in {302, 403}
    failed_attempt.refresh_from_db()
    assert failed_attempt.state == "failed"

    group.permissions.add(Permission.objects.get(codename="change_publishattempt"))
    viewer = django_user_model.objects.get(pk=viewer.pk)
    client.force_login(viewer)
    assert (
        client.post(
            reverse("sharing_publishing:cancel", args=[failed_attempt.pk])
        ).status_code
        == 302
    )

    client.logout()
    response = client.get(reverse("own_media_posts:index"))
    assert response.status_code == 302


def test_unknown_post_is_404(admin_client):
    url = reverse("sharing_publishing:retry", args=[987654321])
    assert admin_client.post(url).status_code in {302, 404}
    assert admin_client.get(url, follow=True).status_code == 404


def test_publish_any_shareable_from_the_admin(
    admin_client,
    page_factory,
    fake,
    account_factory,
    django_capture_on_commit_callbacks,
):
    """A community post an editor features (any kind of SHARING_SHAREABLES)
    is published from Reports → Own-media posts → new/<kind>/<pk>/."""
    page = page_factory(title="Featured tea")
    weibo, telegram = account_factory("weibo"), account_factory("telegram")
    url = reverse("sharing_publishing:publish_object", args=["page", page.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Featured tea" in response.content.decode()

    response = admin_client.post(
        url, {"accounts": [weibo.pk], "text": "t" * 2100, "hashtags": ""}
    )
    assert response.status_code == 200
    assert "Too long for Weibo" in response.content.decode()
    assert not PublishAttempt.objects.filter(object_id=page.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {"accounts": [weibo.pk, telegram.pk], "text": "Featured", "hashtags": "t"},
        )
    assert response.status_code == 302
    attempts = PublishAttempt.objects.filter(object_id=page.pk)
    assert {(a.platform, a.state) for a in attempts} == {
        ("weibo", "sent"),
        ("telegram", "sent"),
    }


def test_publish_object_refuses_what_cannot_be_shared(admin_client, share_site):
    for kind, pk in [("page", 987654321), ("nope", 1)]:
        url = reverse("sharing_publishing:publish_object", args=[kind, pk])
        assert admin_client.get(url, follow=True).status_code == 404
