"""Markdown is shown rendered or as plain text, never raw: post cards, search
excerpts, review cards, a post's meta description and link preview, the
answer picker and the board's feed."""

import re

import pytest
from wagtail.models import Site

from community.comments.models import Comment
from community.markdown import html_to_text, markdown_to_text
from community.posts.share import SharedPost
from tests.factories import CommentFactory, PostFactory
from tests.testapp.models import TeaProduct

from .post_helpers import make_board

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}
BODY = (
    "Every morning I brew **Longjing** in a *glass*.\n\n"
    "- see [our notes](https://tea.example/notes)\n"
    "- `95 °C` water\n\n"
    "> Best ritual & <b>no</b> sugar"
)
TEXT = (
    "Every morning I brew Longjing in a glass. see our notes 95 °C water "
    "Best ritual & <b>no</b> sugar"
)


@pytest.mark.parametrize(
    "markdown, text",
    [
        (BODY, TEXT),
        ("**Longjing**", "Longjing"),
        ("line one\nline two", "line one line two"),
        ("a \\*literal\\* star", "a *literal* star"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("", ""),
        (None, ""),
    ],
)
def test_markdown_to_text(markdown, text):
    assert markdown_to_text(markdown) == text


def test_html_to_text_decodes_entities():
    assert html_to_text("<p>Tea &amp; <strong>cakes</strong></p>\n<p>x</p>") == (
        "Tea & cakes x"
    )


@pytest.fixture
def home(db):
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def board(home):
    return make_board(home)


@pytest.fixture
def post(board):
    return PostFactory(board=board, title="Morning tea", body=BODY)


def no_raw_markdown(html):
    assert "**Longjing**" not in html and "*glass*" not in html
    assert "[our notes]" not in html


def test_cards_show_plain_text(client, board, post):
    html = client.get(board.url, **BROWSER).content.decode()
    card = re.search(r'<p class="card__text">(.*?)</p>', html, re.S).group(1)
    assert card.startswith("Every morning I brew Longjing in a glass.")
    no_raw_markdown(html)
    html = client.get("/en/community/posts/", **BROWSER).content.decode()
    no_raw_markdown(html)


def test_a_posts_description_and_preview_are_plain(client, board, post):
    html = client.get(
        board.url + board.reverse_subpage("post", args=[post.pk]), **BROWSER
    ).content.decode()
    head = html.split("</head>", 1)[0]
    no_raw_markdown(head)
    description = re.search(r'<meta name="description" content="([^"]*)"', head)
    assert description.group(1).startswith("Every morning I brew Longjing")
    og = re.search(r'<meta property="og:description" content="([^"]*)"', head)
    assert og.group(1).startswith("Every morning I brew Longjing")
    # The body itself is rendered, not shown as text.
    assert "<strong>Longjing</strong>" in html
    assert SharedPost(post).get_share_description() == TEXT


def test_long_previews_are_cut_with_an_ellipsis(board):
    post = PostFactory(board=board, body="**" + "茶" * 300 + "**")
    summary = SharedPost(post).get_share_description()
    assert len(summary) == 200 and summary.endswith("…") and "*" not in summary


def test_review_cards_on_the_product_page_are_plain(client, home, board):
    product = TeaProduct(title="Dragon Well", slug="dragon-well-plain")
    home.add_child(instance=product)
    product.save_revision().publish()
    PostFactory(board=board, kind="review", product=product, rating=5, body=BODY)
    html = client.get(product.url, **BROWSER).content.decode()
    assert "Every morning I brew Longjing" in html
    no_raw_markdown(html)


def test_the_answer_picker_shows_plain_text(client, board):
    Comment.objects.all().delete()
    question = PostFactory(board=board, kind="question", title="Water?")
    CommentFactory(content_object=question, comment="Use **80 °C** water")
    client.force_login(question.author)
    html = client.get(
        board.url + board.reverse_subpage("post", args=[question.pk]), **BROWSER
    ).content.decode()
    assert ": Use 80 °C water</option>" in html


def test_the_feed_renders_markdown(client, board, post):
    xml = client.get(
        board.url + board.reverse_subpage("feed"), **BROWSER
    ).content.decode()
    assert "**" not in xml and "&lt;strong&gt;Longjing&lt;/strong&gt;" in xml
