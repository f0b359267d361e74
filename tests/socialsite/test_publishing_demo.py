"""The demo's "Done when" of publishing to own media: an editor publishes an
article and sees it "sent" to the sandbox's imitation Weibo, WeChat and
Mastodon, with links to the posts, which link back to the article."""

from urllib.parse import urlsplit

import pytest
from django.http import Http404
from django.test import override_settings
from django.urls import resolve, reverse

from sharing.models import OwnMediaPost, PublishAttempt, SharingSettings
from socialsite.sandbox import publishing as sandbox
from socialsite.website.models import ArticlePage


@pytest.fixture
def sandbox_on():
    with override_settings(SOCIAL_LOGIN_SANDBOX=True, **sandbox.sharing_settings()):
        yield


@pytest.fixture
def demo_accounts(demo_site, sandbox_on):
    sharing = SharingSettings.for_site(demo_site)
    sandbox.configure_demo_accounts(sharing)
    accounts = {account.platform: account for account in sharing.accounts.all()}
    return accounts


def test_the_sandbox_configures_the_demo_accounts(demo_accounts):
    for platform in ("weibo", "wechat", "mastodon"):
        assert demo_accounts[platform].can_publish
    # Configuring twice changes nothing.
    sharing = demo_accounts["weibo"].settings
    sandbox.configure_demo_accounts(sharing)
    assert sharing.accounts.filter(platform="mastodon").count() == 1


def test_editor_publishes_an_article_to_own_media(
    client, editor, demo_site, demo_accounts, django_capture_on_commit_callbacks
):
    article = ArticlePage.objects.live().descendant_of(demo_site.root_page).first()
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert "Publish to own media" in client.get(edit_url).content.decode()

    for platform in ("weibo", "wechat", "mastodon"):
        OwnMediaPost.objects.create(
            page=article,
            account=demo_accounts[platform],
            text="新茶上市 New harvest",
            hashtags="tea",
        )
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision(user=editor).publish(user=editor)

    attempts = PublishAttempt.objects.filter(object_id=article.pk).order_by("platform")
    assert [(a.platform, a.state) for a in attempts] == [
        ("mastodon", "sent"),
        ("wechat", "sent"),
        ("weibo", "sent"),
    ], [a.error for a in attempts]

    # The report shows them sent, with links to the posts.
    report = client.get(reverse("own_media_posts:index")).content.decode()
    for attempt in attempts:
        assert attempt.remote_url.startswith("http://testserver/sandbox-oauth/publish/")
        assert attempt.remote_url in report
        # The post on the imitation platform links back to the article.
        page = client.get(attempt.remote_url)
        assert page.status_code == 200
        html = page.content.decode()
        assert article.full_url in html or "New harvest" in html
        assert f"utm_campaign=ownmedia-{attempt.pk}" in attempt.link

    # A visit from the Mastodon post counts for it.
    mastodon = attempts.get(platform="mastodon")
    link = urlsplit(mastodon.link)
    client.logout()
    response = client.get(
        f"{link.path}?{link.query}",
        HTTP_HOST=link.netloc,
        HTTP_USER_AGENT="Mozilla/5.0 (Android)",
    )
    assert response.status_code == 200
    mastodon.refresh_from_db()
    assert mastodon.visits == 1


def test_sandbox_publishing_is_off_without_the_sandbox(rf, settings):
    settings.SOCIAL_LOGIN_SANDBOX = False
    url = "/sandbox-oauth/publish/mastodon/api/v1/statuses"
    view = resolve(url).func
    with pytest.raises(Http404):
        view(rf.post(url, {"status": "hi"}, HTTP_AUTHORIZATION="Bearer x"))


def test_sandbox_refuses_a_wrong_token(client, sandbox_on):
    response = client.post(
        "/sandbox-oauth/publish/mastodon/api/v1/statuses",
        {"status": "hi"},
        HTTP_AUTHORIZATION="Bearer nope",
    )
    assert response.status_code == 401
    response = client.post(
        "/sandbox-oauth/publish/weibo/2/statuses/share.json",
        {"status": "hi", "access_token": "nope"},
    )
    assert response.status_code == 401
