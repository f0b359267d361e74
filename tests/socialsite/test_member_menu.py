"""The member menu in the demo site's header, within the home page's query
budget."""

import pytest

from community.models import Profile
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_member_menu_and_pages(client, demo_site, django_assert_max_num_queries):
    response = client.get("/en/")
    assert 'href="/accounts/login/?next=/en/"' in response.content.decode()
    member = MemberFactory()
    profile = Profile.for_user(member)
    profile.display_name = "Zhou Ming"
    profile.bio = "I <b>love</b> pu'er"
    profile.save()
    profile.interests.set(["pu'er"])
    client.force_login(member)
    client.get("/en/")
    # The home page takes 26 queries for an anonymous visitor; the member menu
    # adds the session, the user, the profile and two for the permissions.
    with django_assert_max_num_queries(26 + 5):
        page = client.get("/en/").content.decode()
    assert "Zhou Ming" in page
    assert 'action="/accounts/logout/" ' in page or 'action="/accounts/logout/"' in page
    assert "/admin/" not in page  # no admin link for visitors
