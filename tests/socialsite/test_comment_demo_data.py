"""The demo site's comments: its seeded threads and its news listing's
comment counts."""

import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.comments.models import Comment, CommentReaction, ThreadFollow
from socialsite.website.models import ArticlePage, NewsIndexPage
from tests.factories import CommentFactory


def counts():
    return (
        Comment.objects.count(),
        CommentReaction.objects.count(),
        ThreadFollow.objects.count(),
    )


def test_demo_threads_in_both_languages_with_a_brand_reply(demo_site, client):
    languages = set(Comment.objects.values_list("language", flat=True))
    assert languages == {"en", "zh-hans"}
    official = Comment.objects.filter(is_official=True).exclude(
        content_type__model="post"  # official answers to questions on boards
    )
    assert {c.language for c in official} == {"en", "zh-hans"}
    assert all(c.level == 1 for c in official)
    page = client.get(official.first().get_absolute_url().split("#")[0])
    assert "Official" in page.content.decode() or "官方" in page.content.decode()
    before = counts()
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts() == before


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_article_listings_count_comments_in_the_same_query(client, demo_site, settings):
    # Rendering is measured: the anonymous page cache is off here.
    settings.SHARING_PAGE_CACHE = False
    # Without the demo threads (inside the test's transaction only).
    Comment.objects.all().delete()
    news = NewsIndexPage.objects.live().get(locale__language_code="en")
    client.get(news.url)
    before, html = page_queries(client, news.url)
    assert " comments" not in html
    for article in ArticlePage.objects.child_of(news).live():
        CommentFactory.create_batch(2, content_object=article)
    after, html = page_queries(client, news.url)
    assert before == after
    assert "2 comments" in html
