"""Comments and the page cache (sharing.pagecache): a moderator's decision
shows on the next anonymous request, and cached pages carry nobody's CSRF
token even with anonymous comments on."""

import re

import pytest
from django.test import Client, override_settings

from community.comments.models import Comment
from community.comments.moderation import moderate
from community.privacy import delete_account
from tests.factories import CommentFactory, MemberFactory

from .comment_helpers import POST_URL, form_data

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


def anonymous(n, **options):
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"10.7.6.{n}", **options)


def cached(client, url):
    """The page twice: the second answer comes from the cache."""
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    return response.content.decode()


def test_an_approved_comment_shows_on_the_next_anonymous_request(page):
    held = CommentFactory(
        content_object=page, comment="Held for a moderator", state="pending"
    )
    assert "Held for a moderator" not in cached(anonymous(1), page.url)
    moderate([held], "approve")
    response = anonymous(2).get(page.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Held for a moderator" in response.content.decode()


def test_a_removed_comment_leaves_on_the_next_anonymous_request(page):
    comment = CommentFactory(content_object=page, comment="Buy cheap watches")
    assert "Buy cheap watches" in cached(anonymous(1), page.url)
    moderate([comment], "remove")
    assert "Buy cheap watches" not in anonymous(2).get(page.url).content.decode()


def test_a_new_comment_shows_and_a_held_one_changes_nothing(page):
    assert "First!" not in cached(anonymous(1), page.url)
    CommentFactory(content_object=page, comment="First!")
    assert "First!" in anonymous(2).get(page.url).content.decode()
    cached(anonymous(3), page.url)
    # A comment nobody sees yet keeps the page in the cache.
    CommentFactory(content_object=page, comment="Held", state="pending")
    assert anonymous(4).get(page.url)["X-Page-Cache"] == "hit"


def test_a_deleted_members_name_leaves_the_cached_page(page):
    member = MemberFactory(username="leaving-member")
    CommentFactory(content_object=page, user=member, user_name="leaving-member")
    assert "leaving-member" in cached(anonymous(1), page.url)
    delete_account(member)
    assert "leaving-member" not in anonymous(2).get(page.url).content.decode()


@override_settings(COMMUNITY_COMMENTS_ALLOW_ANONYMOUS=True)
def test_anonymous_comment_forms_carry_nobodys_csrf_token(page):
    visitor_a = anonymous(1, enforce_csrf_checks=True)
    visitor_b = anonymous(2, enforce_csrf_checks=True)
    html = cached(visitor_a, page.url)
    assert 'name="comment"' in html  # the guest form is on the cached page
    assert visitor_b.get(page.url).content.decode() == html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)
    assert tokens and set(tokens) == {""}
    assert "csrftoken" not in visitor_a.cookies
    token_a = visitor_a.get("/en/share/csrf/").json()["token"]
    token_b = visitor_b.get("/en/share/csrf/").json()["token"]
    fields = form_data(page, "Guest here", name="Li Lei", email="li@example.com")
    # Another visitor's token is refused; one's own is taken.
    refused = visitor_a.post(POST_URL, {**fields, "csrfmiddlewaretoken": token_b})
    assert refused.status_code == 403
    taken = visitor_a.post(POST_URL, {**fields, "csrfmiddlewaretoken": token_a})
    assert taken.status_code == 302
    assert not Comment.objects.filter(user_name="Li Lei").exists()  # to confirm
