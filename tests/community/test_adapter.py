"""COMMUNITY_ADAPTER: who may take part, trust, public names and bots — the
default rules, and a project's own adapter named in the settings."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from community.adapter import CommunityAdapter, get_adapter
from community.models import Profile
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def participation_denied(user, **kwargs):
    return get_adapter().participation_denied(user, **kwargs)


def test_anonymous_visitors_are_asked_to_sign_in():
    assert participation_denied(AnonymousUser()) == "Sign in to take part."


def test_a_verified_member_may_take_part():
    assert participation_denied(MemberFactory()) is None


def test_an_unverified_address_must_be_confirmed_first():
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=False)
    assert participation_denied(user) == "Confirm your e-mail address to take part."
    assert participation_denied(user, require_verified_email=False) is None


def test_a_suspended_member_is_told_why():
    member = MemberFactory()
    profile = Profile.objects.create(user=member)
    profile.suspend("Repeated spam links")
    member.refresh_from_db()
    assert participation_denied(member) == (
        "Your account is suspended: Repeated spam links"
    )
    profile.lift_suspension()
    member.refresh_from_db()
    assert participation_denied(member) is None


def test_trust_levels_and_public_names():
    adapter = get_adapter()
    member = MemberFactory(username="leaf42")
    assert adapter.trust_level(AnonymousUser()) == CommunityAdapter.NEW
    assert adapter.trust_level(member) == CommunityAdapter.MEMBER
    assert adapter.trust_level(UserFactory(is_staff=True)) == CommunityAdapter.TRUSTED
    # Never the e-mail address: the display name, else the username.
    assert adapter.author_name(member) == "leaf42"
    Profile.objects.create(user=member, display_name="Lin")
    member.refresh_from_db()
    assert adapter.author_name(member) == "Lin"


@pytest.mark.parametrize(
    ("agent", "bot"),
    [
        ("Mozilla/5.0 (iPhone) Mobile Safari/604.1", False),
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", True),
        ("curl/8.5.0", True),
        ("", True),
    ],
)
def test_bots_by_user_agent(agent, bot):
    request = RequestFactory().get("/", HTTP_USER_AGENT=agent)
    assert get_adapter(request).is_bot(request) is bot


class ClosedCommunityAdapter(CommunityAdapter):
    """A project's adapter: only members of one company take part, and they
    are trusted."""

    def participation_denied(self, user, *, require_verified_email=True):
        denied = super().participation_denied(
            user, require_verified_email=require_verified_email
        )
        if denied is None and not user.email.endswith("@cloudmist.example"):
            return "Only Cloudmist staff may take part here."
        return denied

    def trust_level(self, user):
        return self.TRUSTED if user.is_authenticated else self.NEW


def test_a_project_adapter_replaces_the_rules(settings):
    settings.COMMUNITY_ADAPTER = "tests.community.test_adapter.ClosedCommunityAdapter"
    outsider = MemberFactory(email="someone@example.com")
    insider = MemberFactory(email="lin@cloudmist.example")
    assert isinstance(get_adapter(), ClosedCommunityAdapter)
    assert participation_denied(outsider) == "Only Cloudmist staff may take part here."
    assert participation_denied(insider) is None
    assert get_adapter().trust_level(insider) == CommunityAdapter.TRUSTED
