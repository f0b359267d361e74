"""Who may do what with a post, for every view and every role: anonymous, the
author, another member, a suspended member, an editor. A member never edits or
sees another member's unpublished post."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Page, Site

from community.models import Profile
from community.posts.models import Post
from tests.factories import MemberFactory, PostFactory, UserFactory

from .post_helpers import make_board

pytestmark = pytest.mark.django_db

BULK = "/admin/bulk/community_posts/post/"
QUEUE = "/admin/community/posts/"

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 Firefox/130.0"}
JSON = {"HTTP_ACCEPT": "application/json", **BROWSER}

# view name, method (the writes last: they change or delete the post)
VIEWS = [
    ("post", "get"),
    ("post_edit", "get"),
    ("post_delete", "get"),
    ("post_like", "post"),
    ("post_report", "get"),
    ("post_answer", "post"),
    ("post_edit", "post"),
    ("post_delete", "post"),
]

# Expected status per role and view, for a post that is NOT published.
UNPUBLISHED = {
    "anonymous": [404, 302, 302, 404, 302, 404, 302, 302],
    "author": [200, 200, 200, 404, 404, 404, 302, 302],
    "other": [404, 404, 404, 404, 404, 404, 404, 404],
    "suspended": [404, 404, 404, 404, 404, 404, 404, 404],
    "editor": [200, 404, 404, 404, 404, 404, 404, 404],
}
# ... and for a published question.
PUBLISHED = {
    "anonymous": [200, 302, 302, 403, 302, 404, 302, 302],
    "author": [200, 200, 200, 403, 200, 400, 302, 302],
    "other": [200, 404, 404, 200, 200, 404, 404, 404],
    "suspended": [200, 404, 404, 403, 403, 404, 404, 404],
    "editor": [200, 404, 404, 200, 200, 400, 404, 404],
}


@pytest.fixture
def board(db):
    """A board under the default site's root (the tests' own, not the demo's)."""
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_page.specific if site else Page.get_first_root_page()
    return make_board(root, who_may_post="members")


@pytest.fixture
def editor(db):
    """A staff member (with a verified address, so they may take part) who
    moderates posts."""
    group = Group.objects.create(name="Post moderators")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "change_post", "delete_post"],
            content_type__app_label__in=["wagtailadmin", "community_posts"],
        )
    )
    user = MemberFactory(username="post-moderator", is_staff=True)
    user.groups.add(group)
    return user


def login(client, role, post, editor):
    if role == "anonymous":
        return
    if role == "author":
        client.force_login(post.author)
    elif role == "editor":
        client.force_login(editor)
    else:
        user = MemberFactory()
        if role == "suspended":
            Profile.for_user(user).suspend("spam")
        client.force_login(user)


@pytest.mark.parametrize("state", ["pending", "published"])
@pytest.mark.parametrize("role", list(UNPUBLISHED))
def test_permissions_matrix(client, board, editor, role, state):
    post = PostFactory(board=board, kind="question", state=state)
    login(client, role, post, editor)
    expected = (PUBLISHED if state == "published" else UNPUBLISHED)[role]
    got = []
    for name, method in VIEWS:
        path = board.url + board.reverse_subpage(name, args=[post.pk])
        data = {"kind": "question", "title": "Changed title", "body": "New text"}
        if name == "post_answer":
            data = {"comment": "999999"}
        headers = BROWSER if name == "post_delete" else JSON
        response = getattr(client, method)(path, data, **headers)
        got.append(response.status_code)
    assert got == expected, f"{role} on a {state} post"
    still_there = Post.objects.filter(pk=post.pk).exists()
    assert still_there == (role != "author")
    if still_there and role != "author":
        assert Post.objects.get(pk=post.pk).title != "Changed title"


def test_suspended_and_anonymous_cannot_create(client, board):
    new = board.url + board.reverse_subpage("post_new")
    assert client.get(new).status_code == 302
    member = MemberFactory()
    Profile.for_user(member).suspend("spam")
    client.force_login(member)
    response = client.post(new, {"kind": "story", "title": "Hello", "body": "x"})
    assert response.status_code == 403
    assert "suspended" in response.content.decode()
    assert not Post.objects.filter(board=board).exists()


def test_a_rejected_post_shows_its_reason_to_the_author_only(client, board):
    post = PostFactory(board=board, state="rejected", rejection_reason="Off topic")
    detail = board.url + board.reverse_subpage("post", args=[post.pk])
    client.force_login(post.author)
    assert "Off topic" in client.get(detail).content.decode()
    client.force_login(MemberFactory())
    assert client.get(detail).status_code == 404


def test_moderation_in_the_admin(
    client, board, editor, django_capture_on_commit_callbacks, mailoutbox
):
    held = PostFactory(board=board, state="pending", title="Please check me")
    reported = PostFactory(board=board, title="Reported one", report_count=1)
    PostFactory(board=board, title="Fine one")
    client.force_login(editor)
    queue = client.get(QUEUE).content.decode()
    assert "Please check me" in queue and "Reported one" in queue
    assert "Fine one" not in queue
    found = client.get(f"{QUEUE}?q=check&state=all")
    assert "Please check me" in found.content.decode()
    reject = f"{BULK}reject_posts/?id={held.pk}&id={reported.pk}"
    confirm = client.get(reject).content.decode()
    assert "Reason for the rejection" in confirm
    assert "Reject these posts? Their authors get an e-mail" in confirm
    # The reason is required: nothing happens without one.
    assert client.post(reject, {"reason": ""}).status_code == 200
    assert Post.objects.get(pk=held.pk).state == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reject, {"reason": "Not about tea"}, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert "2 posts rejected." in response.content.decode()
    assert set(
        Post.objects.filter(pk__in=[held.pk, reported.pk]).values_list(
            "state", "rejection_reason"
        )
    ) == {("rejected", "Not about tea")}
    assert len(mailoutbox) == 2 and "Not about tea" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BULK}approve_posts/?id={held.pk}")
    assert Post.objects.get(pk=held.pk).state == "published"
    assert Post.objects.get(pk=held.pk).rejection_reason == ""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BULK}remove_posts/?id={reported.pk}")
    assert Post.objects.get(pk=reported.pk).state == "removed"


def test_members_cannot_moderate(client, board):
    post = PostFactory(board=board, state="pending")
    client.force_login(MemberFactory())
    client.post(f"{BULK}approve_posts/?id={post.pk}")
    assert Post.objects.get(pk=post.pk).state == "pending"
    assert client.get(QUEUE).status_code == 302


def test_editors_who_may_not_moderate_are_told(client, board):
    post = PostFactory(board=board, state="pending", title="A held title")
    editor = UserFactory(is_staff=True)
    editor.save()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    url = f"{BULK}approve_posts/?id={post.pk}"
    page = client.get(url).content.decode()
    assert "You don&#x27;t have permission to moderate these posts" in page
    # The held post's id, never its title.
    assert f"#{post.pk}" in page and "A held title" not in page
    client.post(url)
    assert Post.objects.get(pk=post.pk).state == "pending"


def test_reports_go_to_the_queue(client, board):
    post = PostFactory(board=board)
    client.force_login(MemberFactory())
    report = board.url + board.reverse_subpage("post_report", args=[post.pk])
    client.post(report, {"reason": "spam", "note": "link farm"})
    client.post(report, {"reason": "spam"})
    post.refresh_from_db()
    assert post.report_count == 1
    assert list(Post.objects.needs_review()) == [post]
