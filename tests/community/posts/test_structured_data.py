"""Search engines and posts: each published post describes itself in JSON-LD
(a DiscussionForumPosting, or a QAPage for an answered question) with the
properties Google requires, and the posts' sitemap lists exactly the posts
visitors may read."""

import pytest
from django.test import RequestFactory
from django.utils import timezone
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Page, PageViewRestriction, Site

from community import app_settings as community_settings
from community.posts.models import Post
from community.posts.sitemaps import PostSitemap
from tests.factories import CommentFactory, MemberFactory, PostFactory
from tests.rich_results import json_ld, problems

from .post_helpers import make_board

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


@pytest.fixture
def home(db):
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_page.specific if site else Page.get_first_root_page()


@pytest.fixture
def board(home):
    return make_board(home, title="Tea talk")


def data_of(client, post):
    html = client.get(post.get_url(), **BROWSER).content.decode()
    return json_ld(html)


def test_the_rich_results_check_can_fail():
    assert problems({"@type": "Product", "name": "Tea"}) == [
        "$ (Product): needs review or aggregateRating or offers"
    ]
    assert problems(
        {
            "@type": "DiscussionForumPosting",
            "author": {"@type": "Person"},
            "datePublished": "2026-13-01",
            "text": "Hi",
            "url": "/en/board/1/",
        }
    ) == [
        "$.author (Person): needs name",
        "$.datePublished: not ISO 8601: '2026-13-01'",
        "$.url: not an absolute URL: '/en/board/1/'",
    ]


def test_a_story_is_a_discussion_forum_posting(client, board):
    post = PostFactory(
        board=board, title="Morning tea", body="**Longjing** at dawn.", like_count=3
    )
    post.tags.add("green tea")
    first = CommentFactory(content_object=post, comment="Lovely *cup*.", like_count=2)
    CommentFactory(content_object=post, parent_id=first.pk, comment="Agreed.")
    CommentFactory(content_object=post, comment="Held.", state="pending")
    gone = CommentFactory(content_object=post, comment="Gone.")
    gone.deleted_at = timezone.now()
    gone.save()
    post.refresh_from_db()

    [data] = data_of(client, post)
    assert problems(data) == []
    url = post.get_full_url()
    assert data["@type"] == "DiscussionForumPosting"
    assert data["url"] == data["@id"] == url
    assert data["headline"] == "Morning tea"
    assert data["text"] == "Longjing at dawn."  # plain text, not Markdown
    assert data["inLanguage"] == "en"
    assert data["author"]["name"] == post.author_name()
    assert data["author"]["url"].endswith(f"/en/community/members/{post.author.pk}/")
    assert data["isPartOf"]["name"] == "Tea talk"
    assert data["keywords"] == ["green tea"]
    assert data["commentCount"] == post.comment_count == 2
    counters = {
        item["interactionType"].rsplit("/", 1)[1]: item["userInteractionCount"]
        for item in data["interactionStatistic"]
    }
    assert counters == {"LikeAction": 3, "CommentAction": 2, "ViewAction": 0}
    # The published comments, the reply under its comment; not the held one
    # nor the deleted one.
    [comment] = data["comment"]
    assert comment["text"] == "Lovely cup."
    assert comment["url"] == f"{url}#c{first.pk}"
    assert comment["interactionStatistic"][0]["userInteractionCount"] == 2
    assert [reply["text"] for reply in comment["comment"]] == ["Agreed."]


def test_an_answered_question_is_a_qa_page(client, board):
    editor = MemberFactory(is_staff=True, is_superuser=True)
    question = PostFactory(board=board, kind="question", title="How hot?", body="")
    official = CommentFactory(
        content_object=question, user=editor, is_official=True, comment="80 °C."
    )
    other = CommentFactory(content_object=question, comment="Boiling!", like_count=1)
    Post.objects.filter(pk=question.pk).update(accepted_answer=official)
    question.refresh_from_db()

    [data] = data_of(client, question)
    assert problems(data) == []
    assert data["@type"] == "QAPage"
    asked = data["mainEntity"]
    assert asked["@type"] == "Question" and asked["name"] == "How hot?"
    assert asked["text"] == "How hot?"  # no body: the title is the question
    assert asked["answerCount"] == 2
    assert asked["acceptedAnswer"]["text"] == "80 °C."
    assert asked["acceptedAnswer"]["author"] == {
        "@type": "Organization",
        "name": community_settings.BRAND_NAME,
    }
    [suggested] = asked["suggestedAnswer"]
    assert suggested["url"].endswith(f"#c{other.pk}")
    assert suggested["upvoteCount"] == 1

    unanswered = PostFactory(board=board, kind="question", title="Any tips?")
    [data] = data_of(client, unanswered)
    assert data["@type"] == "DiscussionForumPosting" and problems(data) == []


def test_text_from_visitors_cannot_close_the_script(client, board):
    post = PostFactory(board=board, title="</script><script>alert(1)</script>")
    html = client.get(post.get_url(), **BROWSER).content.decode()
    assert "<script>alert(1)" not in html
    [data] = json_ld(html)
    assert data["headline"] == "</script><script>alert(1)</script>"


def test_posts_others_cannot_read_have_none(client, board):
    post = PostFactory(board=board, state="pending")
    client.force_login(post.author)
    response = client.get(post.get_url(), **BROWSER)
    assert response.status_code == 200
    assert json_ld(response.content.decode()) == []


def posts_in_sitemap():
    request = RequestFactory().get("/sitemap.xml", HTTP_HOST="localhost")
    response = sitemap(request, sitemaps={"posts": PostSitemap})
    response.render()
    return response.content.decode()


def test_the_sitemap_lists_the_posts_visitors_may_read(home, board):
    published = PostFactory(board=board)
    hidden = [
        PostFactory(board=board, state="pending"),
        PostFactory(board=board, state="removed"),
    ]
    private_board = make_board(home, title="Staff room")
    PageViewRestriction.objects.create(page=private_board, restriction_type="login")
    hidden.append(PostFactory(board=private_board))
    closed_board = make_board(home, title="Old board")
    hidden.append(PostFactory(board=closed_board))
    hidden_urls = [post.get_full_url() for post in hidden]
    closed_board.unpublish()

    xml = posts_in_sitemap()
    url = published.get_full_url()
    assert f"<loc>{url}</loc>" in xml
    for hidden_url in hidden_urls:
        assert f"<loc>{hidden_url}</loc>" not in xml
    assert f"<lastmod>{timezone.localdate(published.updated_at)}</lastmod>" in xml
