"""The demo site behind the page cache: anonymous visitors get its pages from
the cache, every page without anybody's CSRF token, and editors' and
visitors' changes show on the next anonymous request."""

import re

import pytest
from django.conf import settings
from django.test import Client
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page

from community.comments.models import Comment
from community.comments.moderation import moderate
from community.posts.models import CommunityBoardPage, Post
from community.posts.moderation import moderate_posts
from socialsite.website.models import (
    ArticlePage,
    ContactPage,
    HomePage,
    NewsIndexPage,
    ProductPage,
)
from tests.factories import CommentFactory, MemberFactory, PostFactory

from .test_contact_form import valid_data

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def anonymous(n, **options):
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"10.3.2.{n}", **options)


def english(model):
    return model.objects.live().filter(locale__language_code="en").order_by("path")


def test_the_middleware_comes_right_after_the_static_files():
    """Only the static files and the referral middleware (a `?ref=` link must
    be credited even when a cached page answers) come before the cache."""
    middleware = settings.MIDDLEWARE
    position = middleware.index("sharing.pagecache.middleware.PageCacheMiddleware")
    assert middleware[position - 2 : position] == [
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "community.campaigns.referrals.ReferralMiddleware",
    ]
    assert position < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )


@pytest.mark.parametrize(
    "model", [HomePage, ArticlePage, ProductPage, CommunityBoardPage, ContactPage]
)
def test_anonymous_pages_come_from_the_cache_with_nobodys_token(demo_site, model):
    page = english(model).first()
    first = anonymous(1).get(page.url)
    second = anonymous(2).get(page.url)
    assert first.status_code == 200
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert "public" in second["Cache-Control"] and "Cookie" in second["Vary"]
    assert set(TOKEN.findall(first.content.decode())) <= {""}
    assert not first.cookies


def test_a_signed_in_visitor_sees_their_own_page(demo_site):
    home = english(HomePage).first()
    anonymous(1).get(home.url)
    member = Client(HTTP_USER_AGENT=BROWSER)
    member.force_login(MemberFactory(username="tea-lover"))
    response = member.get(home.url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "tea-lover" in response.content.decode()
    assert "tea-lover" not in anonymous(2).get(home.url).content.decode()


def test_a_published_article_shows_on_the_home_page_and_the_news(demo_site):
    home = english(HomePage).first()
    news = english(NewsIndexPage).first()
    for page in (home, news):
        anonymous(1).get(page.url)
        assert anonymous(1).get(page.url)["X-Page-Cache"] == "hit"
    article = news.add_child(
        instance=ArticlePage(
            title="First flush has arrived",
            slug="first-flush-has-arrived",
            date="2099-04-01",
            author="Editor",
            intro="Picked this morning.",
        )
    )
    article.save_revision().publish()
    for page in (home, news):
        html = anonymous(2).get(page.url).content.decode()
        assert "First flush has arrived" in html, page.url


def test_an_approved_comment_shows_on_the_article_and_counts_in_the_news(
    demo_site,
):
    article = english(ArticlePage).first()
    news = Page.objects.get(pk=article.get_parent().pk)
    held = CommentFactory(
        content_object=article, comment="Steeped it twice", state="pending"
    )
    for url in (article.url, news.url):
        anonymous(1).get(url)
        assert anonymous(1).get(url)["X-Page-Cache"] == "hit"
    moderate([Comment.objects.get(pk=held.pk)], "approve")
    assert "Steeped it twice" in anonymous(2).get(article.url).content.decode()
    assert anonymous(2).get(news.url)["X-Page-Cache"] == "miss"


def test_an_approved_post_shows_on_its_board(demo_site):
    board = english(CommunityBoardPage).first()
    held = PostFactory(board=board, title="Mist over Longjing", state="pending")
    anonymous(1).get(board.url)
    assert "Mist over Longjing" not in anonymous(1).get(board.url).content.decode()
    moderate_posts([Post.objects.get(pk=held.pk)], "approve")
    assert "Mist over Longjing" in anonymous(2).get(board.url).content.decode()


def test_the_cached_contact_form_takes_each_visitors_own_token(demo_site):
    page = ContactPage.objects.get(locale__language_code="en")
    visitor_a = anonymous(1, enforce_csrf_checks=True)
    visitor_b = anonymous(2, enforce_csrf_checks=True)
    visitor_a.get(page.url)
    html = visitor_b.get(page.url).content.decode()
    assert TOKEN.findall(html) == [""] and "sharing/csrf.js" in html
    token = visitor_b.get("/en/share/csrf/").json()["token"]
    response = visitor_b.post(
        page.url, {**valid_data(page), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    assert "Thank you for your message" in response.content.decode()
    assert FormSubmission.objects.filter(page=page).count() == 1
    # Without a token of their own, visitor A's message is refused.
    refused = visitor_a.post(page.url, {**valid_data(page), "csrfmiddlewaretoken": ""})
    assert refused.status_code == 403


def test_each_language_has_its_own_page(demo_site):
    english_home = anonymous(1).get("/en/")
    chinese_home = anonymous(2).get("/zh-hans/")
    assert english_home["Content-Language"] == "en"
    assert chinese_home["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans"' in anonymous(3).get("/zh-hans/").content.decode()
