import pytest
from allauth.account.models import EmailAddress
from community.participation import participation_denied
from django.contrib.auth.models import AnonymousUser

from community.models import Profile
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_asked_to_sign_in():
    assert participation_denied(AnonymousUser()) == "Sign in to take part."


def test_a_verified_member_may_take_part():
    assert participation_denied(MemberFactory()) is None


def test_an_unverified_address_must_be_confirmed_first():
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=False)
    assert participation_denied(user) == "Confirm your e-mail address to take part."


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
