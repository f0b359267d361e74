"""The boards are reachable from the community page, from each other and from
product pages: the feed's board cards, the boards' navigation, and a
product's "Write a review" / "Ask a question" links that open the right
board's form with the product chosen (whatever the query string says)."""

import re

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail.models import Page, Site

from community.posts.services import product_post_links, site_boards
from tests.factories import MemberFactory
from tests.testapp.models import CommentablePage, TeaProduct

from .post_helpers import make_board

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


@pytest.fixture
def home(db):
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_page.specific if site else Page.get_first_root_page()


@pytest.fixture
def boards(home):
    def board(title, kind):
        kinds = dict.fromkeys(
            ["allow_stories", "allow_photos", "allow_reviews", "allow_questions"],
            False,
        )
        return make_board(home, title=title, **{**kinds, kind: True})

    return {
        "stories": board("Tea stories", "allow_stories"),
        "reviews": board("Tea reviews", "allow_reviews"),
        "questions": board("Tea questions", "allow_questions"),
    }


@pytest.fixture
def product(home):
    tea = TeaProduct(title="Dragon Well", slug="dragon-well")
    home.add_child(instance=tea)
    tea.save_revision().publish()
    return tea


@pytest.fixture
def member_client(client):
    client.force_login(MemberFactory())
    return client


def links_of(html, css_class):
    block = re.search(
        rf'<[a-z]+ class="{css_class}"[^>]*>(.*?)</(nav|section)>', html, re.S
    )
    assert block, f"no {css_class} on the page"
    return re.findall(r'href="([^"]+)"', block.group(1))


def test_the_community_page_links_every_live_board(client, boards):
    boards["stories"].title = "Draft board"
    boards["stories"].save_revision()  # a draft title is not what visitors see
    hidden = boards["questions"]
    hidden.unpublish()
    html = client.get(reverse("community_posts:feed"), **BROWSER).content.decode()
    links = links_of(html, "board-cards")
    assert links == [boards["stories"].url, boards["reviews"].url]
    assert "Tea stories" in html and "Draft board" not in html


def test_each_board_links_the_feed_and_the_other_boards(client, boards):
    html = client.get(boards["reviews"].url, **BROWSER).content.decode()
    assert links_of(html, "board-nav") == [
        reverse("community_posts:feed"),
        *(board.url for board in boards.values()),
    ]
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
    assert boards["reviews"].url in current


def test_a_product_links_the_review_and_question_forms(boards, product):
    links = {link["kind"]: link["url"] for link in product_post_links(product)}
    assert links == {
        "review": f"{boards['reviews'].url}new/?kind=review&product={product.pk}",
        "question": f"{boards['questions'].url}new/?kind=question&product={product.pk}",
    }


def test_no_links_without_a_board_that_takes_them(home, product):
    make_board(home, allow_reviews=False, allow_questions=False)
    assert product_post_links(product) == []


def test_the_buttons_tag_renders_both_links(rf, boards, product):
    request = rf.get("/")
    html = Template(
        "{% load community_posts_tags %}{% product_post_buttons product %}"
    ).render(Context({"request": request, "product": product}))
    assert ">Write a review</a>" in html and ">Ask a question</a>" in html
    assert f"product={product.pk}" in html


def test_the_form_opens_with_the_product_chosen(member_client, boards, product):
    for kind in ("review", "question"):
        board = boards[f"{kind}s"]
        url = f"{board.url}new/?kind={kind}&product={product.pk}"
        html = member_client.get(url, **BROWSER).content.decode()
        selected = re.search(r'<option value="(\d+)" selected>', html)
        assert selected and selected.group(1) == str(product.pk), kind
        assert f'value="{kind}" selected' in html


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "%00",
        "\x00",
        "²",
        "99999999999999999999999",
        "-1",
        "1 OR 1=1",
        "9" * 500,
    ],
)
def test_a_bad_product_in_the_query_string_is_ignored(member_client, boards, value):
    url = boards["reviews"].url + "new/"
    response = member_client.get(url, {"kind": "review", "product": value}, **BROWSER)
    assert response.status_code == 200
    assert (
        "selected>" not in response.content.decode().split('name="product"')[-1][:400]
    )


def test_a_product_that_is_not_offered_is_not_chosen(member_client, boards, home):
    other = Page(title="Not a product", slug="not-a-product")
    home.add_child(instance=other)
    url = f"{boards['reviews'].url}new/?kind=review&product={other.pk}"
    html = member_client.get(url, **BROWSER).content.decode()
    assert f'<option value="{other.pk}"' not in html
    assert not re.search(r'<option value="\d+" selected>', html)


def test_site_boards_follow_the_language(boards, home):
    request = RequestFactory().get("/")
    request.META["HTTP_HOST"] = "localhost"
    assert [board.pk for board in site_boards(request)] == [
        board.pk for board in boards.values()
    ]


def test_a_new_board_shows_on_cached_pages_at_once(boards, home):
    """Pages served from the page cache link a board published since, even
    one deep in the tree (whose publication takes out only its ancestors)."""

    def anonymous(url):
        return Client(HTTP_USER_AGENT=BROWSER["HTTP_USER_AGENT"]).get(url)

    pages = [reverse("community_posts:feed"), boards["stories"].url]
    for url in pages:
        anonymous(url)
        assert anonymous(url)["X-Page-Cache"] == "hit", url
    section = CommentablePage(title="Tea school", slug="tea-school")
    home.add_child(instance=section)
    section.save_revision().publish()
    for url in pages:
        anonymous(url)
        assert anonymous(url)["X-Page-Cache"] == "hit", url
    make_board(section, title="Ask the tea master")
    for url in pages:
        response = anonymous(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Ask the tea master" in response.content.decode(), url
