"""Avatars in the Wagtail admin come from the site: a member's own avatar
(community's `get_avatar_url` hook), else Wagtail's built-in picture; never
Gravatar, which the admin's Content Security Policy would block."""

import io

import pytest
from django.core.files.base import ContentFile
from django.template import Context, Template
from PIL import Image
from wagtail.users.models import UserProfile

from community.avatars import admin_avatar_url
from community.models import Profile

pytestmark = pytest.mark.django_db


def webp(side):
    out = io.BytesIO()
    Image.new("RGB", (side, side), (40, 120, 80)).save(out, format="WEBP")
    return ContentFile(out.getvalue())


def avatar_url(user, size):
    template = Template("{% load wagtailadmin_tags %}{% avatar_url user size %}")
    return template.render(Context({"user": user, "size": size}))


@pytest.fixture
def editor_with_avatar(django_user_model, media_root):
    user = django_user_model.objects.create_superuser(
        "avatar-editor", "avatar-editor@example.com", "x"
    )
    profile = Profile.for_user(user)
    profile.avatar.save("big.webp", webp(256), save=False)
    profile.avatar_small.save("small.webp", webp(64), save=False)
    profile.save()
    return user, profile


def test_an_editor_s_member_avatar_is_their_admin_avatar(editor_with_avatar):
    user, profile = editor_with_avatar
    assert avatar_url(user, 25) == profile.avatar_small.url
    assert avatar_url(user, 80) == profile.avatar.url


def test_the_dashboard_shows_it_and_nothing_from_gravatar(client, editor_with_avatar):
    user, profile = editor_with_avatar
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert profile.avatar_small.url in html or profile.avatar.url in html
    assert "gravatar" not in html.lower()


def test_without_a_member_avatar_wagtail_shows_its_own_picture(django_user_model):
    user = django_user_model.objects.create_user(
        "plain-editor", "plain-editor@example.com", "x"
    )
    assert admin_avatar_url(user) is None
    url = avatar_url(user, 25)
    assert url.startswith("/static/wagtailadmin/images/default-user-avatar.png")


def test_a_wagtail_avatar_of_the_editor_s_own_comes_first(editor_with_avatar):
    user, profile = editor_with_avatar
    UserProfile.get_for_user(user).avatar.save("own.png", webp(50))
    assert admin_avatar_url(user) is None
    assert avatar_url(user, 25) == user.wagtail_userprofile.avatar.url
