"""Query budgets: a page with N comments renders with a number of queries that
does not grow with N; listings count comments without a query per item."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.comments.models import Comment, CommentReaction, ThreadFollow
from community.comments.services import annotate_comment_counts
from tests.factories import CommentFactory, MemberFactory
from tests.testapp.models import CommentablePage

pytestmark = pytest.mark.django_db


# The whole commentable page, comments included, signed in or not.
PAGE_BUDGET = 40


def add_comments(target, count, viewer):
    """`count` comments: a third top-level threads, the rest replies two
    levels deep, some by the viewer, some liked and followed by the viewer."""
    authors = MemberFactory.create_batch(3)
    made = 0
    while made < count:
        root = CommentFactory(content_object=target, user=authors[made % 3])
        reply = CommentFactory(content_object=target, user=viewer, parent_id=root.pk)
        deeper = CommentFactory(
            content_object=target, user=authors[(made + 1) % 3], parent_id=reply.pk
        )
        CommentReaction.objects.create(comment=root, user=viewer)
        CommentReaction.objects.create(comment=deeper, user=viewer)
        ThreadFollow.objects.create(thread=root, user=viewer)
        made += 3


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_comment_queries_do_not_grow_with_the_number_of_comments(
    client, make_page, django_assert_max_num_queries, settings
):
    # Rendering is measured: anonymous requests bypass the page cache here.
    settings.SHARING_PAGE_CACHE = False
    small, large = make_page("Small thread"), make_page("Large thread")
    viewer = MemberFactory()
    add_comments(small, 10, viewer)
    add_comments(large, 300, viewer)
    for signed_in in (False, True):
        if signed_in:
            client.force_login(viewer)
        for target in (small, large):
            client.get(target.url)  # site root, sessions: not about comments
        counts = {}
        for n, target in ((10, small), (300, large)):
            with django_assert_max_num_queries(PAGE_BUDGET):
                counts[n], html = page_queries(client, target.url)
            assert html.count('class="comment') >= min(n, 20)
        assert counts[10] == counts[300], (signed_in, counts)


def test_listings_count_comments_in_the_same_query(
    make_page, django_assert_num_queries
):
    pages = [make_page(f"Listed {n}") for n in range(5)]
    for n, target in enumerate(pages):
        CommentFactory.create_batch(n, content_object=target)
    # Neither held, removed nor deleted comments count.
    CommentFactory(content_object=pages[0], state=Comment.State.PENDING)
    CommentFactory(content_object=pages[0], state=Comment.State.REMOVED)
    gone = CommentFactory(content_object=pages[1])
    Comment.objects.filter(pk=gone.pk).update(deleted_at=gone.submit_date)
    listing = annotate_comment_counts(
        CommentablePage.objects.filter(pk__in=[p.pk for p in pages]).order_by("pk")
    )
    with django_assert_num_queries(1):
        counts = [target.comment_count for target in listing]
    assert counts == [0, 1, 2, 3, 4]
