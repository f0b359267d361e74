"""Rendered comments come from the cache (services.render_threads): the same
HTML as rendering them afresh, each viewer's own marks and CSRF token, and a
change shows on the next view."""

import re

import pytest
from django.test.utils import override_settings

from community.comments.models import CommentReaction
from community.comments.services import CSRF_MARK, toggle_like
from tests.factories import CommentFactory, MemberFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("no_page_cache"),
]


@pytest.fixture
def no_page_cache(settings):
    settings.SHARING_PAGE_CACHE = False


@pytest.fixture
def thread(make_page):
    page = make_page("Cached thread")
    authors = MemberFactory.create_batch(3)
    root = CommentFactory(content_object=page, user=authors[0], comment="First *cup*")
    reply = CommentFactory(
        content_object=page, user=authors[1], parent_id=root.pk, comment="Agreed"
    )
    CommentFactory(content_object=page, user=authors[2], parent_id=reply.pk)
    return page, root, reply


def comments_html(client, url):
    """The threads of the page's comments section (not its forms, which
    carry a timestamp)."""
    html = client.get(url).content.decode()
    start = html.index("data-comments-threads>")
    return html[start : html.index("<dialog", start)]


def without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_cached_html_is_what_rendering_afresh_gives(client, thread):
    page, _root, reply = thread
    viewer = MemberFactory()
    CommentReaction.objects.create(comment=reply, user=viewer)
    client.force_login(viewer)
    with override_settings(COMMUNITY_COMMENTS_CACHE_TIMEOUT=0):
        fresh = comments_html(client, page.url)
    first = comments_html(client, page.url)  # rendered, then stored
    cached = comments_html(client, page.url)  # from the cache
    assert without_tokens(cached) == without_tokens(first) == without_tokens(fresh)
    assert "First <em>cup</em>" in cached


def test_each_viewer_gets_their_own_marks_and_token(client, thread):
    page, root, reply = thread
    fan, other = MemberFactory(), MemberFactory()
    client.force_login(fan)
    comments_html(client, page.url)
    toggle_like(fan, reply)
    fan_html = comments_html(client, page.url)
    client.force_login(other)
    other_html = comments_html(client, page.url)

    def pressed(html):
        forms = re.findall(r'/comments/(\d+)/like/"(.*?)</form>', html, re.S)
        return {int(pk) for pk, form in forms if 'aria-pressed="true"' in form}

    assert pressed(fan_html) == {reply.pk}
    assert pressed(other_html) == set()
    for html in (fan_html, other_html):
        assert CSRF_MARK not in html
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        assert tokens and all(len(token) == 64 for token in tokens)


def test_an_edit_shows_on_the_next_view(client, thread):
    page, root, _reply = thread
    client.force_login(MemberFactory())
    assert "First <em>cup</em>" in comments_html(client, page.url)
    root.comment = "Second **cup**"
    root.save()
    html = comments_html(client, page.url)
    assert "Second <strong>cup</strong>" in html
    assert "First <em>cup</em>" not in html


def test_the_reply_form_shows_in_a_cached_thread(client, thread):
    page, root, reply = thread
    client.force_login(MemberFactory())
    comments_html(client, page.url)
    html = comments_html(client, f"{page.url}?reply_to={reply.pk}")
    assert f'id="reply-{reply.pk}"' in html
    assert f'id="reply-{root.pk}"' not in html
