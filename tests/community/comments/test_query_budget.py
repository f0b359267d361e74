"""Query budget of a commentable page for a signed-in member (issue 13): 300
comments cost at most 5 queries more than none, and nothing is loaded once
per comment (the viewer's likes, flags and follows, authors, profiles)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from community.comments.models import (
    CommentFlagReport,
    CommentReaction,
    ThreadFollow,
)
from tests.factories import CommentFactory, MemberFactory

pytestmark = pytest.mark.django_db

#: What 300 comments may add to the page without comments (issue 13).
COMMENTS_BUDGET = 5


def add_threads(target, count, viewer, authors):
    """`count` comments in threads of three (a top-level comment, a reply, a
    reply to the reply), by `authors` in turn (each of the 60 comments a page
    shows by another one); the viewer likes, flags and follows some of them.
    Returns the comments."""
    made = []
    while len(made) < count:
        n = len(made)
        root = CommentFactory(content_object=target, user=authors[n % len(authors)])
        reply = CommentFactory(
            content_object=target,
            user=authors[(n + 1) % len(authors)],
            parent_id=root.pk,
        )
        deeper = CommentFactory(
            content_object=target,
            user=authors[(n + 2) % len(authors)],
            parent_id=reply.pk,
        )
        made += [root, reply, deeper]
    for comment in made[::2]:
        CommentReaction.objects.create(comment=comment, user=viewer)
    for comment in made[1::6]:
        CommentFlagReport.objects.create(comment=comment, user=viewer, reason="spam")
    for comment in made[::6]:
        ThreadFollow.objects.create(thread=comment, user=viewer)
    return made


def get_page(client, url):
    # Sessions, the site's root paths, the sharing settings made on first use:
    # not about comments.
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries], response.content.decode()


@override_settings(SHARING_PAGE_CACHE=False)
def test_300_comments_cost_at_most_five_queries_more_than_none(
    client, make_page, django_assert_max_num_queries
):
    empty, full = make_page("No comments yet"), make_page("A busy thread")
    viewer = MemberFactory()
    authors = MemberFactory.create_batch(60)
    add_threads(full, 300, viewer, authors)
    client.force_login(viewer)

    without, _ = get_page(client, empty.url)
    client.get(full.url)  # the thread's HTML is rendered and cached
    with django_assert_max_num_queries(len(without) + COMMENTS_BUDGET):
        html = client.get(full.url).content.decode()

    # The page shows the first 20 threads (60 comments), each with its actions.
    assert html.count('class="comment__body"') == 60
    assert html.count("data-comments-like>") == 60


@override_settings(SHARING_PAGE_CACHE=False)
def test_no_query_per_comment(client, make_page):
    """The same number of queries for 6 comments as for 60 shown (of 300),
    each by another member, many liked, flagged and followed by the viewer;
    and what the viewer did shows on each comment."""
    small, large = make_page("Two threads"), make_page("A hundred threads")
    viewer = MemberFactory()
    authors = MemberFactory.create_batch(60)
    add_threads(small, 6, viewer, authors)
    made = add_threads(large, 300, viewer, authors)
    client.force_login(viewer)

    few, _ = get_page(client, small.url)
    many, html = get_page(client, large.url)
    # The sharing settings' snapshot is rebuilt whenever anything retires it
    # (a site or an image saved by another thread of the run): not about
    # comments.
    few, many = (
        [sql for sql in queries if '"sharing_' not in sql] for queries in (few, many)
    )

    assert len(many) == len(few), "\n".join(many)
    # Nothing asks about the viewer's likes, flags or follows one by one.
    for table in ("commentreaction", "commentflagreport", "threadfollow"):
        assert sum(f"community_comments_{table}" in sql for sql in many) <= 2
    # The newest 20 threads show, and what the viewer did shows on each.
    shown = made[-60:]
    liked = {c.pk for c in shown} & {c.pk for c in made[::2]}
    flagged = {c.pk for c in shown} & {c.pk for c in made[1::6]}
    followed = {c.pk for c in shown} & {c.pk for c in made[::6]}
    assert liked and flagged and followed
    likes = form_states(html, "like")
    assert set(likes) == {c.pk for c in shown}
    assert {pk for pk, pressed in likes.items() if pressed} == liked
    follows = form_states(html, "follow")
    assert set(follows) == {c.pk for c in shown if c.level == 0}
    assert {pk for pk, pressed in follows.items() if pressed} == followed
    reportable = {int(pk) for pk in re.findall(r"/comments/(\d+)/flag/", html)}
    assert reportable == {c.pk for c in shown} - flagged
    assert html.count("comment__action--done") == len(flagged)


def form_states(html, action):
    """{comment id: aria-pressed} of the `action` forms ("like", "follow")."""
    forms = re.findall(
        rf'action="[^"]*/comments/(\d+)/{action}/"(.*?)</form>', html, re.S
    )
    return {int(pk): 'aria-pressed="true"' in form for pk, form in forms}
