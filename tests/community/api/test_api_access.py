"""Who may call which endpoint: anonymous callers, a member, another member,
a suspended member and an app's read-only key, for every endpoint."""

import json

import pytest
from django.test import override_settings

from community.campaigns.models import Vote
from community.comments.models import Comment
from community.events.models import Registration
from community.posts.models import Post, PostReaction
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

CALLERS = ["anonymous", "key", "member", "suspended"]


@pytest.fixture
def credentials(api_key, token_for, member, suspended):
    return {
        "anonymous": {},
        "key": api_key,
        "member": token_for(member),
        "suspended": token_for(suspended),
    }


def read_urls(page, board, post, event, entry):
    comment = CommentFactory(content_object=page)
    return [
        "/api/v1/pages/",
        f"/api/v1/pages/{page.pk}/",
        "/api/v1/boards/",
        f"/api/v1/boards/{board.pk}/",
        "/api/v1/posts/",
        f"/api/v1/posts/{post.pk}/",
        f"/api/v1/comments/?content_type=testapp.commentablepage&object_id={page.pk}",
        f"/api/v1/comments/{comment.pk}/",
        "/api/v1/events/",
        f"/api/v1/events/{event.pk}/",
        "/api/v1/campaigns/",
        f"/api/v1/campaigns/{entry.campaign_id}/",
        f"/api/v1/campaigns/{entry.campaign_id}/entries/",
    ]


@pytest.mark.parametrize("caller", CALLERS)
def test_reads(client, credentials, caller, page, board, post, event, entry):
    expected = 401 if caller == "anonymous" else 200
    for url in read_urls(page, board, post, event, entry):
        response = client.get(url, **credentials[caller])
        assert response.status_code == expected, (url, response.content)


def test_reads_need_the_read_scope(client, token_for, member, page):
    response = client.get("/api/v1/pages/", **token_for(member, "write:comments"))
    assert response.status_code == 403
    assert "read" in response.json()["detail"]


@override_settings(COMMUNITY_API_ANONYMOUS_READ=True)
def test_anonymous_reads_when_allowed(client, page):
    response = client.get(f"/api/v1/pages/{page.pk}/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "X-Api-Key" in response["Vary"]
    assert response.json()["title"] == "Brewing"
    assert response.json()["parent"] == page.get_parent().pk


def test_unknown_key_and_token_are_refused(client, page):
    assert client.get("/api/v1/pages/", HTTP_X_API_KEY="ssk_nope").status_code == 401
    hostile = client.get("/api/v1/pages/", HTTP_X_API_KEY="ssk_\x00\u00e9" * 5)
    assert hostile.status_code == 401
    response = client.get("/api/v1/pages/", HTTP_AUTHORIZATION="Bearer made-up")
    assert response.status_code == 401


def test_me(client, token_for, api_key, member, suspended):
    me = client.get("/api/v1/me/", **token_for(member)).json()
    assert me["id"] == member.pk and me["may_take_part"] is True
    assert "email" not in me
    assert client.get("/api/v1/me/", **token_for(suspended)).json()["why_not"]
    assert client.get("/api/v1/me/", **api_key).status_code == 403


def post_json(client, url, data, headers, method="post"):
    return getattr(client, method)(
        url, json.dumps(data), content_type="application/json", **headers
    )


def write_cases(page, board, post, event, entry):
    """(name, url, body, success status, rows written?)"""
    comment = CommentFactory(content_object=page, user=post.author)
    return [
        (
            "comment",
            "/api/v1/comments/",
            {
                "content_type": "testapp.commentablepage",
                "object_id": page.pk,
                "comment": "A *fine* brew.",
            },
            201,
            lambda user: Comment.objects.filter(user=user).exists(),
        ),
        (
            "post",
            "/api/v1/posts/",
            {"board": board.pk, "kind": "story", "title": "My tea", "body": "Good."},
            201,
            lambda user: Post.objects.filter(author=user).exists(),
        ),
        (
            "post like",
            f"/api/v1/posts/{post.pk}/like/",
            {},
            200,
            lambda user: PostReaction.objects.filter(user=user).exists(),
        ),
        (
            "comment like",
            f"/api/v1/comments/{comment.pk}/like/",
            {},
            200,
            lambda user: comment.reactions.filter(user=user).exists(),
        ),
        (
            "registration",
            f"/api/v1/events/{event.pk}/registration/",
            {},
            201,
            lambda user: Registration.objects.filter(user=user).exists(),
        ),
        (
            "vote",
            f"/api/v1/campaigns/{entry.campaign_id}/votes/",
            {"post": entry.post_id},
            201,
            lambda user: Vote.objects.filter(user=user).exists(),
        ),
    ]


@pytest.mark.parametrize("caller", CALLERS)
def test_writes(
    client, credentials, caller, member, suspended, page, board, post, event, entry
):
    user = {"member": member, "suspended": suspended}.get(caller)
    for name, url, body, success, written in write_cases(
        page, board, post, event, entry
    ):
        response = post_json(client, url, body, credentials[caller])
        expected = {"anonymous": 401, "key": 403, "suspended": 403}.get(caller, success)
        assert response.status_code == expected, (name, response.content)
        if user is not None:
            assert written(user) is (caller == "member"), name
        if caller == "suspended":
            assert "suspended" in response.json()["detail"], name


def test_writes_need_their_scope(
    client, token_for, member, page, board, post, event, entry
):
    headers = token_for(member, "read")
    for name, url, body, _success, written in write_cases(
        page, board, post, event, entry
    ):
        response = post_json(client, url, body, headers)
        assert response.status_code == 403, name
        assert "scope" in response.json()["detail"], name
        assert not written(member), name


def test_own_content_and_other_members(client, token_for, member, other_member, post):
    """The author may not like their own post; another member may, once."""
    own = post_json(
        client, f"/api/v1/posts/{post.pk}/like/", {}, token_for(other_member)
    )
    assert own.status_code == 403
    headers = token_for(member)
    url = f"/api/v1/posts/{post.pk}/like/"
    assert post_json(client, url, {}, headers).json() == {
        "liked": True,
        "like_count": 1,
    }
    assert post_json(client, url, {}, headers).json() == {
        "liked": True,
        "like_count": 1,
    }
    unliked = post_json(client, url, {}, headers, method="delete").json()
    assert unliked == {"liked": False, "like_count": 0}


def test_drafts_are_their_authors(client, token_for, member, other_member, board):
    response = post_json(
        client,
        "/api/v1/posts/",
        {
            "board": board.pk,
            "kind": "story",
            "title": "Draft",
            "body": "x",
            "draft": True,
        },
        token_for(member),
    )
    assert response.status_code == 201
    pk = response.json()["post"]["id"]
    assert response.json()["post"]["state"] == "draft"
    assert client.get(f"/api/v1/posts/{pk}/", **token_for(member)).status_code == 200
    other = client.get(f"/api/v1/posts/{pk}/", **token_for(other_member))
    assert other.status_code == 404


def test_registration_cancel_and_read(client, token_for, member, other_member, event):
    headers = token_for(member)
    url = f"/api/v1/events/{event.pk}/registration/"
    assert post_json(client, url, {}, headers).json()["status"] == "registered"
    assert post_json(client, url, {}, headers).status_code == 403  # already
    assert client.get(url, **headers).json()["status"] == "registered"
    assert client.get(url, **token_for(other_member)).status_code == 404
    cancelled = post_json(client, url, {}, headers, method="delete")
    assert cancelled.json()["status"] == "cancelled"


def test_comment_goes_through_moderation(client, token_for, member, page, settings):
    settings.COMMUNITY_COMMENTS_BLOCKLIST = ["oolongspam"]
    response = post_json(
        client,
        "/api/v1/comments/",
        {
            "content_type": "testapp.commentablepage",
            "object_id": page.pk,
            "comment": "Buy oolongspam <script>alert(1)</script>",
        },
        token_for(member),
    )
    assert response.status_code == 201
    data = response.json()
    assert data["held"] is True
    assert "<script>" not in data["comment"]["html"]
    listing = client.get(
        f"/api/v1/comments/?content_type=testapp.commentablepage&object_id={page.pk}",
        **token_for(member),
    ).json()
    assert [c["id"] for c in listing["results"]] == [data["comment"]["id"]]
    assert (
        client.get(
            f"/api/v1/comments/{data['comment']['id']}/",
            HTTP_X_API_KEY="x",
        ).status_code
        == 401
    )


def test_comment_rate_limit(client, token_for, member, page):
    headers = token_for(member)
    statuses = [
        post_json(
            client,
            "/api/v1/comments/",
            {
                "content_type": "testapp.commentablepage",
                "object_id": page.pk,
                "comment": f"Comment {n}",
            },
            headers,
        ).status_code
        for n in range(7)
    ]
    assert statuses[:5] == [201] * 5
    assert statuses[5:] == [429, 429]
