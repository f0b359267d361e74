"""One rule for absolute URLs (community.sites): e-mails, the boards' RSS
feeds, a post's canonical URL and og:url and the product JSON-LD start with
the Wagtail Site's root URL and name the Site, whatever Host header the
request came with; never django.contrib.sites' "example.com"."""

import json
import re

import pytest
from django.core import mail
from django.test import override_settings
from wagtail.models import Page, Site

from community.comments.models import Comment
from community.sites import SiteInfo, absolute_url, on_site_root, site_name
from tests.community.comments.comment_helpers import post_comment
from tests.community.posts.post_helpers import make_board
from tests.factories import MemberFactory, PostFactory
from tests.testapp.models import CommentablePage, TeaProduct

pytestmark = pytest.mark.django_db

ROOT = "http://tea.example:8080"
ELSEWHERE = {"HTTP_HOST": "elsewhere.example", "HTTP_USER_AGENT": "Mozilla/5.0"}


@pytest.fixture
def site(db):
    """The default Site at http://tea.example:8080, named "Tea House"."""
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port, site.site_name = "tea.example", 8080, "Tea House"
    site.save()
    return site


@pytest.fixture
def home(site):
    return site.root_page.specific


def add(home, model, title, **fields):
    page = home.add_child(instance=model(title=title, **fields))
    page.save_revision().publish()
    return Page.objects.get(pk=page.pk).specific


NAMESPACES = ("http://www.w3.org/", "http://purl.org/")


def links_in(text):
    return [
        url
        for url in re.findall(r"https?://[^\s\"<>]+", text)
        if not url.startswith(NAMESPACES)
    ]


def assert_on_root(text):
    urls = links_in(text)
    assert urls, "no links at all"
    for url in urls:
        assert url.startswith(ROOT + "/"), url
    assert "example.com" not in text and "elsewhere.example" not in text


def test_the_rule(site, rf):
    request = rf.get("/", HTTP_HOST="elsewhere.example")
    assert absolute_url("/en/x/", request) == ROOT + "/en/x/"
    assert absolute_url("en/x/") == ROOT + "/en/x/"
    assert absolute_url("https://cdn.example/a.jpg") == "https://cdn.example/a.jpg"
    assert absolute_url("//cdn.example/a.jpg") == "//cdn.example/a.jpg"
    assert on_site_root("http://elsewhere.example/a/?b=1", request) == (
        ROOT + "/a/?b=1"
    )
    assert on_site_root("https://other.example/a/", request) == (
        "https://other.example/a/"
    )
    assert site_name(request) == "Tea House"
    info = SiteInfo.for_request(request)
    assert (info.name, info.domain, info.root_url, str(info)) == (
        "Tea House",
        "tea.example:8080",
        ROOT,
        "Tea House",
    )
    site.site_name = ""
    site.save()
    assert site_name() == "tea.example"


def test_sign_up_e_mail_links_and_names_the_site(site, client, unique_email):
    response = client.post(
        "/accounts/signup/",
        {
            "email": unique_email,
            "password1": "a-long-tea-password-77",
            "password2": "a-long-tea-password-77",
        },
        **ELSEWHERE,
    )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.subject.startswith("[Tea House] ")
    assert "Tea House" in message.body and "tea.example:8080" in message.body
    assert_on_root(message.body)
    link = re.search(re.escape(ROOT) + r"(/accounts/confirm-email/\S+)", message.body)
    assert client.post(link.group(1)).status_code == 302


def test_password_reset_e_mails_link_to_the_site(site, client, unique_email):
    MemberFactory(email=unique_email)
    client.post("/accounts/password/reset/", {"email": unique_email}, **ELSEWHERE)
    message = mail.outbox[-1]
    assert message.subject.startswith("[Tea House] ")
    assert_on_root(message.body)
    assert ROOT + "/accounts/password/reset/key/" in message.body
    # Someone without an account hears where to sign up, on the site too.
    mail.outbox.clear()
    client.post(
        "/accounts/password/reset/", {"email": "nobody@tea.example"}, **ELSEWHERE
    )
    assert_on_root(mail.outbox[-1].body)


@override_settings(COMMUNITY_COMMENTS_ALLOW_ANONYMOUS=True)
def test_an_anonymous_comments_confirmation_links_to_the_site(site, home, client):
    Comment.objects.all().delete()
    page = add(home, CommentablePage, "Brewing oolong")
    client.defaults.update(ELSEWHERE)
    response = post_comment(
        client, page, "Guest here", name="Li Lei", email="li@example.com"
    )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert_on_root(message.body)
    assert f"{ROOT}/en/{page.slug}/" in message.body
    assert f"{ROOT}/en/comments/confirm/" in message.body
    assert message.body.rstrip().endswith("Tea House")
    html = message.alternatives[0][0] if message.alternatives else ""
    assert "http://tea.example" in html or not html
    assert "example.com" not in html


def test_a_boards_feed_and_its_posts_live_on_the_site(site, home, client):
    board = make_board(home)
    post = PostFactory(board=board, body="Brew **Longjing** at 80 °C.")
    response = client.get(board.url + board.reverse_subpage("feed"), **ELSEWHERE)
    assert response.status_code == 200
    xml = response.content.decode()
    board_url = f"{ROOT}/en/{board.slug}/"
    assert f"<link>{board_url}</link>" in xml
    assert f'<atom:link href="{board_url}feed/" rel="self"' in xml
    assert f"<link>{board_url}{post.pk}/</link>" in xml
    assert_on_root(xml)
    # Markdown is rendered in the feed, never shown raw.
    assert "**" not in xml and "&lt;strong&gt;Longjing&lt;/strong&gt;" in xml


def test_a_posts_canonical_url_and_preview_live_on_the_site(site, home, client):
    board = make_board(home)
    post = PostFactory(board=board, body="Brew **Longjing** at 80 °C.")
    html = client.get(
        board.url + board.reverse_subpage("post", args=[post.pk]), **ELSEWHERE
    ).content.decode()
    url = f"{ROOT}/en/{board.slug}/{post.pk}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert "elsewhere.example" not in html


def test_the_product_json_ld_lives_on_the_site(site, home, client):
    product = add(home, TeaProduct, "Dragon Well")
    board = make_board(home)
    PostFactory(board=board, kind="review", product=product, rating=5)
    html = client.get(product.url, **ELSEWHERE).content.decode()
    products = [
        data
        for data in map(
            json.loads,
            re.findall(
                r'<script type="application/ld\+json">(.*?)</script>', html, re.S
            ),
        )
        if data.get("@type") == "Product"
    ]
    assert products and products[-1]["url"] == f"{ROOT}/en/dragon-well/"
