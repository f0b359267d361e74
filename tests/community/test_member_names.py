"""Members' public names and avatars: a member who chose no name is shown by
a friendly default (their e-mail address's words at sign-up, else "Member
6"), never by a generated username such as "member6"; and their avatar (not
a letter) shows wherever they appear: comments, posts, the member page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page, Site

from community.adapter import get_adapter
from community.models import Profile
from tests.factories import CommentFactory, MemberFactory, PostFactory, UserFactory
from tests.testapp.models import CommentablePage

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("lin.yu+tea@example.com", "Lin Yu"),
        ("wang_fang88@example.cn", "Wang Fang88"),
        ("mary-jane@example.com", "Mary Jane"),
        ("zhou@example.com", "Zhou"),
        ("王芳@example.cn", "王芳"),
        ("McDonald@example.com", "McDonald"),
        # Not a name: QQ numbers, digits, one letter, no address, too long.
        ("12345678@qq.com", ""),
        ("a1234567@example.com", ""),
        ("x@example.com", ""),
        ("", ""),
        ("a" * 41 + "@example.com", ""),
        ("<script>@example.com", "Script"),
    ],
)
def test_a_display_name_is_suggested_from_the_email_address(email, name):
    user = get_user_model()(username="member6", email=email)
    assert get_adapter().suggested_display_name(user) == name


def test_without_a_display_name_a_member_is_member_and_their_number():
    member = UserFactory(username="member6x")
    Profile.objects.create(user=member)
    member.refresh_from_db()
    assert get_adapter().author_name(member) == f"Member {member.pk}"
    assert member.community_profile.name == f"Member {member.pk}"
    assert member.community_profile.initial == "M"
    with translation.override("zh-hans"):
        assert str(get_adapter().author_name(member)) != f"Member {member.pk}"
        assert str(member.pk) in str(get_adapter().author_name(member))


def test_a_username_the_member_chose_is_kept():
    member = UserFactory(username="leaf42")
    assert get_adapter().author_name(member) == "leaf42"


def test_signup_starts_with_the_suggested_name(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "chen.jing+news@example.com",
            "password1": "a-long-tea-password-77",
            "password2": "a-long-tea-password-77",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="chen.jing+news@example.com")
    assert user.username.startswith("member")  # still nothing of the address
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Chen Jing"
    assert profile.language == "en"


def test_signup_with_a_qq_address_is_member_and_number(client):
    client.post(
        "/accounts/signup/",
        {
            "email": "87654321@qq.com",
            "password1": "a-long-tea-password-77",
            "password2": "a-long-tea-password-77",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    user = get_user_model().objects.get(email="87654321@qq.com")
    assert Profile.objects.get(user=user).display_name == ""
    # The request left Chinese active in this thread: name it in each language.
    with translation.override("en"):
        assert get_adapter().author_name(user) == f"Member {user.pk}"
    with translation.override("zh-hans"):
        assert get_adapter().author_name(user) == f"会员 {user.pk}"
    assert Profile.objects.get(user=user).language == "zh-hans"


def site_root():
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_page.specific if site else Page.get_first_root_node()


def with_avatar(member):
    profile = Profile.for_user(member)
    profile.avatar = "community/avatars/abc-256.webp"
    profile.avatar_small = "community/avatars/abc-64.webp"
    profile.save()
    return profile


def test_comments_show_the_members_photo_else_a_letter(client):
    page = CommentablePage(title="Brewing oolong")
    site_root().add_child(instance=page)
    page.save_revision().publish()
    pictured = MemberFactory()
    with_avatar(pictured)
    plain = MemberFactory(username="leaf42")
    CommentFactory(content_object=page, user=pictured, comment="With a photo")
    CommentFactory(content_object=page, user=plain, comment="Without one")
    html = client.get(page.url, **BROWSER).content.decode()
    photos = re.findall(
        r'<img class="comment__avatar comment__avatar--photo" src="([^"]+)"', html
    )
    assert photos == ["/media/community/avatars/abc-64.webp"]
    assert '<span class="comment__avatar" aria-hidden="true">L</span>' in html


@override_settings(SHARING_PAGE_CACHE=False)
def test_posts_show_their_authors_avatar(client):
    from community.posts.models import CommunityBoardPage

    board = CommunityBoardPage(title="Stories", slug="stories-avatars")
    site_root().add_child(instance=board)
    board.save_revision().publish()
    pictured = MemberFactory()
    with_avatar(pictured)
    post = PostFactory(board=board, author=pictured, title="Rainy pu'er")
    PostFactory(board=board, author=MemberFactory(username="leaf42"))
    html = client.get(board.url, **BROWSER).content.decode()
    assert html.count('class="avatar avatar--tiny"') == 1  # the photo
    assert 'src="/media/community/avatars/abc-64.webp"' in html
    assert re.search(r'avatar--tiny avatar--initial" aria-hidden="true">L<', html)
    detail = client.get(post.get_url(), **BROWSER).content.decode()
    byline = re.search(r'<p class="post__byline">(.*?)</p>', detail, re.S).group(1)
    assert (
        'class="avatar avatar--small" src="/media/community/avatars/abc-64.webp"'
        in byline
    )

    # The avatars come with the posts' own queries: no query per author.
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(board.url + "?sort=liked", **BROWSER).status_code == 200
        return len(captured)

    before = queries()
    for _ in range(5):
        with_avatar(PostFactory(board=board, author=MemberFactory()).author)
    assert queries() == before
