"""Fixtures of the API tests: content of the tests' own app (never the demo
site), members with tokens, an app's key."""

import datetime
import itertools

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from wagtail.models import Page, Site

from community.api.access import SCOPES
from community.api.credentials import new_api_key
from community.api.models import ApiKey
from community.campaigns.models import CampaignIndexPage, CampaignPage, Entry
from community.events.models import EventIndexPage, EventPage
from community.models import Profile
from community.posts.models import CommunityBoardPage
from tests.factories import MemberFactory, PostFactory
from tests.testapp.models import CommentablePage

_numbers = itertools.count(1)
ALL_SCOPES = " ".join(SCOPES)


def home():
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_page.specific if site else Page.get_first_root_node()


def add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def app(db):
    return Application.objects.create(
        name="Tea app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1:9/callback",
        skip_authorization=False,
    )


@pytest.fixture
def token_for(app):
    def make(user, scope=ALL_SCOPES):
        token = AccessToken.objects.create(
            user=user,
            application=app,
            token=f"test-token-{next(_numbers)}-{user.pk}",
            expires=timezone.now() + datetime.timedelta(hours=1),
            scope=scope,
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {token.token}"}

    return make


@pytest.fixture
def member(db):
    return MemberFactory(date_joined=timezone.now() - datetime.timedelta(days=3))


@pytest.fixture
def other_member(db):
    return MemberFactory(date_joined=timezone.now() - datetime.timedelta(days=3))


@pytest.fixture
def suspended(db):
    user = MemberFactory(date_joined=timezone.now() - datetime.timedelta(days=3))
    Profile.for_user(user).suspend("spam")
    return user


@pytest.fixture
def api_key(db):
    key = new_api_key()
    record = ApiKey(name="Kiosk")
    record.set_key(key)
    record.save()
    return {"HTTP_X_API_KEY": key}


@pytest.fixture
def board(db):
    n = next(_numbers)
    return add(
        home(),
        CommunityBoardPage(
            title="API board",
            slug=f"api-board-{n}",
            allow_stories=True,
            allow_questions=True,
            moderation="post",
            who_may_post="verified",
        ),
    )


@pytest.fixture
def post(board, other_member):
    return PostFactory(board=board, author=other_member)


@pytest.fixture
def page(db):
    return add(home(), CommentablePage(title="Brewing", slug=f"brew-{next(_numbers)}"))


@pytest.fixture
def event(db):
    index = add(home(), EventIndexPage(title="Events", slug=f"ev-{next(_numbers)}"))
    start = timezone.now() + datetime.timedelta(days=3)
    return add(
        index,
        EventPage(
            title="Tasting",
            slug=f"tasting-{next(_numbers)}",
            start_at=start,
            end_at=start + datetime.timedelta(hours=2),
            time_zone="Asia/Shanghai",
            description="<p>Taste the spring harvest.</p>",
            venue_name="Tea house",
            capacity=10,
            who_may_register="members",
        ),
    )


@pytest.fixture
def entry(db, other_member):
    index = add(
        home(), CampaignIndexPage(title="Campaigns", slug=f"c-{next(_numbers)}")
    )
    now = timezone.now()
    campaign = add(
        index,
        CampaignPage(
            title="Contest",
            slug=f"contest-{next(_numbers)}",
            starts_at=now - datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=1),
            allow_stories=True,
            allow_photos=False,
            moderation="post",
            who_may_post="verified",
            votes_per_day=3,
        ),
    )
    entry_post = PostFactory(board=campaign, author=other_member)
    return Entry.objects.get_or_create(
        post=entry_post, defaults={"campaign": campaign}
    )[0]
