"""Query budgets: a page with N comments renders with a number of queries that
does not grow with N; listings count comments without a query per item."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.comments.models import CommentReaction, ThreadFollow
from socialsite.website.models import ArticlePage, NewsIndexPage
from tests.factories import CommentFactory, MemberFactory

pytestmark = pytest.mark.usefixtures("clean_comments")


# The whole article page, comments included, signed in or not.
PAGE_BUDGET = 40


def add_comments(article, count, viewer):
    """`count` comments: a third top-level threads, the rest replies two
    levels deep, some by the viewer, some liked and followed by the viewer."""
    authors = MemberFactory.create_batch(3)
    made = 0
    while made < count:
        root = CommentFactory(content_object=article, user=authors[made % 3])
        reply = CommentFactory(content_object=article, user=viewer, parent_id=root.pk)
        deeper = CommentFactory(
            content_object=article, user=authors[(made + 1) % 3], parent_id=reply.pk
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
    client, demo_site, django_assert_max_num_queries
):
    articles = ArticlePage.objects.live().filter(locale__language_code="en")
    small, large = articles[0], articles[1]
    viewer = MemberFactory()
    add_comments(small, 10, viewer)
    add_comments(large, 300, viewer)
    for signed_in in (False, True):
        if signed_in:
            client.force_login(viewer)
        for article in (small, large):
            client.get(article.url)  # renditions, site root: not about comments
        counts = {}
        for n, article in ((10, small), (300, large)):
            with django_assert_max_num_queries(PAGE_BUDGET):
                counts[n], html = page_queries(client, article.url)
            assert html.count('class="comment') >= min(n, 20)
        assert counts[10] == counts[300], (signed_in, counts)


def test_article_listings_count_comments_in_the_same_query(client, demo_site):
    news = NewsIndexPage.objects.live().get(locale__language_code="en")
    client.get(news.url)
    before, html = page_queries(client, news.url)
    assert " comments" not in html
    for article in ArticlePage.objects.child_of(news).live():
        CommentFactory.create_batch(2, content_object=article)
    after, html = page_queries(client, news.url)
    assert before == after
    assert "2 comments" in html
