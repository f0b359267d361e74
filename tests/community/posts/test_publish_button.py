"""A published post's review page (Community → Posts) offers "Publish to
own media" (sharing's form) to editors who may send own-media posts."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import Page

from tests.factories import MemberFactory, PostFactory

from .post_helpers import make_board

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(db):
    return make_board(Page.objects.get(depth=1).get_children().first())


def moderator(*extra):
    codenames = ["access_admin", "change_post", "view_post", *extra]
    group = Group.objects.create(name="-".join(codenames))
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=codenames,
            content_type__app_label__in=["wagtailadmin", "community_posts", "sharing"],
        )
    )
    user = MemberFactory(is_staff=True)
    user.groups.add(group)
    return user


def review(client, post):
    response = client.get(f"/admin/community/posts/inspect/{post.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_published_posts_link_to_the_publish_form(client, board):
    published = PostFactory(board=board)
    held = PostFactory(board=board, state="pending")
    link = reverse("sharing_publishing:publish_object", args=["post", published.pk])
    held_link = reverse("sharing_publishing:publish_object", args=["post", held.pk])

    client.force_login(moderator("change_publishattempt"))
    assert link in review(client, published)
    assert held_link not in review(client, held)
    assert client.get(link).status_code == 200

    client.force_login(moderator())
    assert link not in review(client, published)
    # Wagtail's admin answers a refused view with its home and a message.
    refused = client.get(link)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
