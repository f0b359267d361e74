"""Community → Members in the Wagtail admin."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.adapter import get_adapter
from community.models import Profile
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/community/members/"


@pytest.fixture
def editor():
    """A staff member who looks after members (and nothing else)."""
    group = Group.objects.create(name="Member editors")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_profile", "change_profile"],
            content_type__app_label__in=["wagtailadmin", "community"],
        )
    )
    user = UserFactory(username="member-editor", is_staff=True)
    user.save()
    user.groups.add(group)
    return user


def test_editor_lists_filters_suspends_and_reinstates(
    client, editor, django_assert_max_num_queries
):
    wechat_member = MemberFactory(email="wx@example.com")
    SocialAccount.objects.create(user=wechat_member, provider="weixin", uid="U1")
    mail_member = MemberFactory(email="mail@example.com")
    for member in (wechat_member, mail_member):
        Profile.for_user(member)
    client.force_login(editor)

    with CaptureQueriesContext(connection) as few:
        page = client.get(URL).content.decode()
    assert "wx@example.com" in page and "mail@example.com" in page
    assert "WeChat" in page
    # The list costs the same however many members it shows.
    for n in range(8):
        member = MemberFactory()
        SocialAccount.objects.create(user=member, provider="qq", uid=f"Q{n}")
        Profile.for_user(member)
    with django_assert_max_num_queries(len(few)):
        client.get(URL)
    page = client.get(URL, {"provider": "weixin"}).content.decode()
    assert "wx@example.com" in page and "mail@example.com" not in page
    page = client.get(URL, {"provider": "email"}).content.decode()
    assert "mail@example.com" in page and "wx@example.com" not in page

    profile = Profile.objects.get(user=mail_member)
    edit = f"{URL}edit/{profile.pk}/"
    form = {"display_name": "Spammer", "bio": "", "region": "", "suspended": "on"}
    response = client.post(edit, {**form, "suspension_reason": ""})
    assert response.status_code == 200  # a reason is required
    assert "Tell the member why" in response.content.decode()
    client.post(edit, {**form, "suspension_reason": "Advertising links"})
    profile.refresh_from_db()
    assert profile.is_suspended
    mail_member.refresh_from_db()
    assert get_adapter().participation_denied(mail_member) == (
        "Your account is suspended: Advertising links"
    )
    page = client.get(URL, {"suspended": "true"}).content.decode()
    assert "mail@example.com" in page and "wx@example.com" not in page

    client.post(edit, {"display_name": "Spammer", "suspension_reason": "x"})
    profile.refresh_from_db()
    assert not profile.is_suspended and profile.suspension_reason == ""
    # No creating or deleting members here.
    assert client.get(f"{URL}new/").status_code in (302, 403)
    assert client.get(f"{URL}delete/{profile.pk}/").status_code in (302, 403)


def test_the_community_menu_shows_an_editor_only_what_they_may_use(client, editor):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert URL in html
    assert "/admin/community/comments/" not in html
    assert "/admin/community/posts/" not in html


def test_visitors_get_no_members_list(client):
    client.force_login(MemberFactory())
    response = client.get(URL)
    assert response.status_code == 302
