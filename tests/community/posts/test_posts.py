"""Community posts: each kind end to end, pictures, states, reviews, questions,
likes, views, feeds, privacy and query budgets."""

import io
import json
import re

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from PIL import Image

from community.comments.models import Comment
from community.posts.models import Post, PostImage
from community.posts.moderation import moderate_posts
from tests.factories import CommentFactory, MemberFactory, PostFactory

from .post_helpers import jpeg_with_gps, make_board, png, upload

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


@pytest.fixture
def home(demo_site):
    return demo_site.root_page.specific


@pytest.fixture
def board(home):
    return make_board(home)


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def url(board, name="", *args):
    if not name:
        return board.url
    return board.url + board.reverse_subpage(name, args=list(args))


def new_post(client, board, **data):
    fields = {"kind": "story", "title": "My tea story", "body": "Long *text*."}
    fields.update(data)
    return client.post(url(board, "post_new"), fields, **BROWSER)


def test_a_story_end_to_end(member_client, board, member):
    response = new_post(
        member_client, board, tags="green tea, 龙井，Green Tea", body="Hello **tea**"
    )
    post = Post.objects.get(board=board)
    assert response.status_code == 302
    assert response["Location"] == url(board, "post", post.pk)
    assert post.state == "published" and post.author == member
    assert post.body_html == "<p>Hello <strong>tea</strong></p>"
    assert sorted(post.tags.names()) == ["green tea", "龙井"]
    page = member_client.get(url(board), **BROWSER).content.decode()
    assert "My tea story" in page
    detail = member_client.get(url(board, "post", post.pk), **BROWSER)
    assert "<strong>tea</strong>" in detail.content.decode()
    tagged = member_client.get(url(board) + "?tag=龙井", **BROWSER).content.decode()
    untagged = member_client.get(url(board) + "?tag=oolong", **BROWSER).content.decode()
    assert "My tea story" in tagged and "My tea story" not in untagged
    feed = member_client.get("/en/community/posts/", **BROWSER).content.decode()
    assert "My tea story" in feed


def test_every_field_is_validated_with_clear_messages(member_client, board):
    response = new_post(
        member_client,
        board,
        kind="review",
        title="x",
        body="",
        tags=",".join("abcdefghij"),
    )
    errors = response.context["form"].errors
    assert "at least 3 characters" in str(errors["title"])
    assert "Choose the product" in str(errors["product"])
    assert "rating" in str(errors["rating"])
    assert "at most 8 tags" in str(errors["tags"])
    assert Post.objects.count() == Post.objects.exclude(board=board).count()
    response = new_post(member_client, board, kind="photo", title="Photos")
    assert "at least one picture" in str(response.context["form"].errors["images"])
    response = new_post(member_client, board, kind="nonsense")
    assert "kind" in response.context["form"].errors


def test_a_photo_post_stores_clean_renditions(member_client, board, media_root):
    response = member_client.post(
        url(board, "post_new"),
        {
            "kind": "photo",
            "title": "Terraces",
            "body": "",
            "images": [upload(jpeg_with_gps()), upload(png(), "b.png", "image/png")],
        },
        **BROWSER,
    )
    assert response.status_code == 302
    post = Post.objects.get(board=board)
    pictures = list(post.images.all())
    assert len(pictures) == 2
    first = Image.open(default_storage.open(pictures[0].image.name))
    assert first.format == "WEBP" and first.size == (800, 600)
    assert not first.getexif() and "exif" not in first.info
    thumb = Image.open(default_storage.open(pictures[0].thumbnail.name))
    assert thumb.size == (480, 480)
    assert (pictures[0].width, pictures[0].height) == (800, 600)
    page = member_client.get(url(board, "post", post.pk), **BROWSER).content.decode()
    assert pictures[0].image.url in page and pictures[1].image.url in page


def _bomb():
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<?php system($_GET['x']); ?>", "shell.jpg", "not a picture"),
        (png()[:60], "cut.png", "not a picture"),
        (b"GIF89a" + b"\x00" * 20, "fake.gif", "not a picture"),
        (None, "bomb.png", "too many pixels"),
        (b"x" * (2 * 1024 * 1024 + 1), "huge.jpg", "too large"),
    ],
    ids=["script", "truncated", "fake-gif", "decompression-bomb", "too-many-bytes"],
)
@override_settings(COMMUNITY_POSTS_IMAGE_MAX_UPLOAD_SIZE=2 * 1024 * 1024)
def test_hostile_files_are_refused_and_leave_nothing(
    member_client, board, media_root, data, name, message
):
    data = _bomb() if data is None else data
    response = member_client.post(
        url(board, "post_new"),
        {
            "kind": "photo",
            "title": "Hostile",
            "images": [upload(jpeg_with_gps()), upload(data, name)],
        },
        **BROWSER,
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["images"])
    assert not Post.objects.filter(board=board).exists()
    assert not (media_root / "community" / "posts").exists() or not any(
        (media_root / "community" / "posts").iterdir()
    )


def test_at_most_nine_pictures(member_client, board, media_root):
    files = [upload(png((20, 20)), f"{n}.png", "image/png") for n in range(10)]
    response = member_client.post(
        url(board, "post_new"),
        {"kind": "photo", "title": "Too many", "images": files},
        **BROWSER,
    )
    assert "at most 9 pictures" in str(response.context["form"].errors["images"])
    assert not Post.objects.filter(board=board).exists()


def test_a_failure_while_saving_leaves_no_post_and_no_files(
    member_client, board, media_root, monkeypatch
):
    original = PostImage.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PostImage, "save", failing_save)
    response = member_client.post(
        url(board, "post_new"),
        {
            "kind": "photo",
            "title": "Half",
            "images": [upload(png(), "a.png", "image/png"), upload(png(), "b.png")],
        },
        **BROWSER,
    )
    assert "could not be saved" in response.content.decode()
    assert not Post.objects.filter(board=board).exists()
    assert not PostImage.objects.filter(post__board=board).exists()
    stored = list((media_root / "community" / "posts").glob("*"))
    assert stored == []


def test_drafts_premoderation_and_trusted_members(
    client, home, mailoutbox, django_capture_on_commit_callbacks
):
    board = make_board(home, moderation="pre")
    author = MemberFactory()
    client.force_login(author)
    new_post(client, board, title="Just a draft", save_draft="1")
    draft = Post.objects.get(title="Just a draft")
    assert draft.state == "draft"
    new_post(client, board, title="Held for review")
    held = Post.objects.get(title="Held for review")
    assert held.state == "pending" and "pre-moderated" in held.hold_reasons
    page = client.get(url(board, "post", held.pk), **BROWSER).content.decode()
    assert "Awaiting moderation" in page
    client.logout()
    assert "Held for review" not in client.get(url(board), **BROWSER).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moderate_posts([held], "approve")
    held.refresh_from_db()
    assert held.state == "published" and held.published_at is not None
    assert "is published" in mailoutbox[-1].subject
    with override_settings(COMMUNITY_POSTS_TRUSTED_AFTER=1):
        client.force_login(author)
        new_post(client, board, title="Trusted now")
    assert Post.objects.get(title="Trusted now").state == "published"


@override_settings(COMMUNITY_COMMENTS_BLOCKLIST=["cheap pills", "代购"])
def test_the_comment_blocklist_holds_posts(member_client, board):
    new_post(member_client, board, title="Buy cheap pills here")
    new_post(member_client, board, title="正品代购联系我")
    assert set(Post.objects.filter(board=board).values_list("state", flat=True)) == {
        "pending"
    }


def test_reject_and_remove_tell_the_author_in_their_language(
    board, mailoutbox, django_capture_on_commit_callbacks
):
    post = PostFactory(board=board, language="zh-hans", state="pending")
    with django_capture_on_commit_callbacks(execute=True):
        moderate_posts([post], "reject", reason="照片与茶无关")
    post.refresh_from_db()
    assert post.state == "rejected" and post.rejection_reason == "照片与茶无关"
    mail = mailoutbox[-1]
    assert mail.to == [post.author.email]
    assert "照片与茶无关" in mail.body
    assert "未" in mail.subject  # Chinese subject: the author's language
    other = PostFactory(board=board)
    with django_capture_on_commit_callbacks(execute=True):
        moderate_posts([other], "remove")
    assert "removed" in mailoutbox[-1].subject
    assert Post.objects.get(pk=other.pk).state == "removed"


@override_settings(COMMUNITY_POSTS_RATE_LIMITS={"post_member": "1/m"})
def test_posting_is_rate_limited(member_client, board):
    new_post(member_client, board, title="First one")
    response = new_post(member_client, board, title="Second one")
    assert "too fast" in response.content.decode()
    assert list(Post.objects.filter(board=board).values_list("title", flat=True)) == [
        "First one"
    ]


def test_closed_boards_kinds_and_unverified_members(client, home):
    closed = make_board(home, closes_at="2000-01-01T00:00Z")
    member = MemberFactory()
    client.force_login(member)
    response = new_post(client, closed)
    assert response.status_code == 403 and "closed" in response.content.decode()
    stories_only = make_board(home, allow_photos=False)
    response = new_post(client, stories_only, kind="photo", title="Nope")
    assert "kind" in response.context["form"].errors
    unverified = MemberFactory()
    unverified.emailaddress_set.update(verified=False)
    client.force_login(unverified)
    strict = make_board(home, who_may_post="verified")
    assert new_post(client, strict).status_code == 403
    relaxed = make_board(home, who_may_post="members")
    assert new_post(client, relaxed).status_code == 302


def test_one_like_per_member_and_not_for_the_author(client, board):
    post = PostFactory(board=board)
    fan = MemberFactory()
    client.force_login(fan)
    like = url(board, "post_like", post.pk)
    headers = {"HTTP_ACCEPT": "application/json", **BROWSER}
    assert client.post(like, **headers).json() == {
        "ok": True,
        "liked": True,
        "count": 1,
    }
    assert client.post(like, **headers).json()["count"] == 0
    client.post(like, **headers)
    client.force_login(post.author)
    assert client.post(like, **headers).status_code == 403
    assert Post.objects.get(pk=post.pk).like_count == 1


def test_views_do_not_count_bots_or_the_author(client, board):
    post = PostFactory(board=board)
    detail = url(board, "post", post.pk)
    client.get(detail, **BROWSER)
    client.get(
        detail, HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)"
    )
    client.get(detail, HTTP_USER_AGENT="curl/8.0")
    client.get(detail)  # no user agent
    client.force_login(post.author)
    client.get(detail, **BROWSER)
    assert Post.objects.get(pk=post.pk).view_count == 1


def test_reviews_aggregate_on_the_product_page_with_json_ld(client, demo_site, home):
    from socialsite.website.models import ProductPage

    board = make_board(home)
    product = ProductPage.objects.live().filter(locale__language_code="en").first()
    Post.objects.filter(product=product).delete()
    for rating in (5, 4, 3):
        PostFactory(board=board, kind="review", product=product, rating=rating)
    PostFactory(
        board=board,
        kind="review",
        product=product,
        rating=5,
        title="</script><script>alert(1)</script>",
    )
    PostFactory(board=board, kind="review", product=product, rating=1, state="pending")
    html = client.get(product.url, **BROWSER).content.decode()
    assert "4.2 out of 5 · 4 reviews" in html
    assert "<script>alert(1)" not in html
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    data = json.loads(blocks[-1])
    assert data["@type"] == "Product" and data["name"] == product.title
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.2,
        "reviewCount": 4,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert len(data["review"]) == 3
    assert {r["reviewRating"]["ratingValue"] for r in data["review"]} <= {3, 4, 5}
    assert data["review"][0]["name"] == "</script><script>alert(1)</script>"


def test_questions_accept_an_answer_even_an_official_one(client, board, editor):
    question = PostFactory(board=board, kind="question", title="Water temperature?")
    official = CommentFactory(content_object=question, user=editor, is_official=True)
    other_post = PostFactory(board=board)
    elsewhere = CommentFactory(content_object=other_post)
    answer_url = url(board, "post_answer", question.pk)
    stranger = MemberFactory()
    client.force_login(stranger)
    assert client.post(answer_url, {"comment": official.pk}).status_code == 404
    client.force_login(question.author)
    page = client.get(url(board, "post", question.pk), **BROWSER).content.decode()
    assert "Which reply answers your question?" in page
    client.post(answer_url, {"comment": elsewhere.pk})
    assert Post.objects.get(pk=question.pk).accepted_answer is None
    client.post(answer_url, {"comment": official.pk})
    question.refresh_from_db()
    assert question.accepted_answer == official and question.answered_at
    page = client.get(url(board, "post", question.pk), **BROWSER).content.decode()
    assert "Accepted answer" in page
    assert Post.objects.get(pk=question.pk).comment_count == 1


def test_comments_on_posts_go_through_the_comments_app(member_client, board):
    post = PostFactory(board=board)
    page = member_client.get(url(board, "post", post.pk), **BROWSER).content.decode()
    assert 'value="community.post"' in page
    CommentFactory(content_object=post)
    assert Post.objects.get(pk=post.pk).comment_count == 1
    comment = Comment.objects.get(object_pk=str(post.pk))
    comment.state = "removed"
    comment.save()
    assert Post.objects.get(pk=post.pk).comment_count == 0


def test_sorting_pagination_feed_and_rss(client, board, home):
    other = make_board(home, title="Other board")
    quiet = PostFactory(board=board, title="Quiet one")
    loved = PostFactory(board=board, title="Loved one", like_count=9)
    talked = PostFactory(board=board, title="Talked one", comment_count=7)
    PostFactory(board=board, title="Hidden one", state="pending")
    PostFactory(board=other, title="Elsewhere")

    def titles(query):
        response = client.get(url(board) + query, **BROWSER)
        return [post.title for post in response.context["posts"]]

    assert titles("?sort=liked")[0] == loved.title
    assert titles("?sort=discussed")[0] == talked.title
    assert titles("")[0] == talked.title and quiet.title in titles("")
    assert "Hidden one" not in titles("") and "Elsewhere" not in titles("")
    with override_settings(COMMUNITY_POSTS_PER_PAGE=2):
        assert len(titles("?page=2")) == 1
        assert len(titles("?page=999")) == 1
        assert len(titles("?page=abc")) == 2
    rss = client.get(url(board, "feed"), **BROWSER)
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert b"Loved one" in rss.content and b"Hidden one" not in rss.content
    feed = client.get("/en/community/posts/", **BROWSER).content.decode()
    assert "Elsewhere" in feed and "Hidden one" not in feed


def test_board_page_queries_do_not_grow_with_posts(
    client, board, django_assert_max_num_queries, media_root
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def seed(n):
        for _ in range(n):
            post = PostFactory(board=board)
            post.tags.set(["green tea", "spring"])
            PostImage.objects.create(
                post=post,
                image="community/posts/x.webp",
                thumbnail="community/posts/t.webp",
            )

    viewer = MemberFactory()
    client.force_login(viewer)
    seed(2)
    client.get(url(board), **BROWSER)  # warm caches (site, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(url(board), **BROWSER)
    seed(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(board), **BROWSER)
    assert len(response.context["posts"]) == 12


def test_member_profile_lists_posts_by_visibility(client, board):
    author = MemberFactory()
    PostFactory(board=board, author=author, title="Public story")
    PostFactory(board=board, author=author, title="Secret draft", state="draft")
    profile_url = f"/en/community/members/{author.pk}/"
    page = client.get(profile_url, **BROWSER).content.decode()
    assert "Public story" in page and "Secret draft" not in page
    client.force_login(author)
    page = client.get(profile_url, **BROWSER).content.decode()
    assert "Public story" in page and "Secret draft" in page


def test_posts_are_found_by_the_search_backend(board):
    from wagtail.search.backends import get_search_backend

    post = PostFactory(board=board, title="Osmanthus oolong evening")
    PostFactory(board=board, title="Osmanthus hidden", state="pending")
    backend = get_search_backend()
    backend.add(post)
    found = list(backend.search("Osmanthus", Post.objects.published()))
    assert found == [post]


def test_share_buttons_and_link_previews_through_sharing(client, board):
    post = PostFactory(board=board, title="Shared story")
    page = client.get(url(board, "post", post.pk), **BROWSER).content.decode()
    assert f"/share/weibo/post/{post.pk}/" in page
    assert '<meta property="og:title" content="Shared story">' in page
    response = client.get(f"/en/share/weibo/post/{post.pk}/", **BROWSER)
    assert response.status_code == 302 and "weibo.com" in response["Location"]
    hidden = PostFactory(board=board, state="pending")
    assert client.get(f"/en/share/weibo/post/{hidden.pk}/").status_code == 404


def test_export_and_account_deletion_cover_posts(board, settings):
    from community.privacy import delete_account, export_user_data

    author = MemberFactory()
    post = PostFactory(board=board, author=author, title="Mine")
    assert export_user_data(author)["posts"][0]["title"] == "Mine"
    delete_account(author)
    post.refresh_from_db()
    assert post.author is None and post.author_name() == "Former member"
    settings.COMMUNITY_DELETED_ACCOUNT_CONTENT = "remove"
    second = MemberFactory()
    gone = PostFactory(board=board, author=second)
    delete_account(second)
    assert not Post.objects.filter(pk=gone.pk).exists()


def test_popular_now_block_on_the_demo_home_page(client, demo_site):
    page = client.get("/en/", **BROWSER).content.decode()
    assert "Popular in the community" in page
    assert "/en/community/posts/" in page
    page = client.get("/zh-hans/", **BROWSER).content.decode()
    assert "社区热门" in page


def test_site_search_finds_posts_in_english_and_chinese(client, board, demo_site):
    from community.posts.services import search_posts

    PostFactory(board=board, title="Jasmine pearls at dusk")
    zh = PostFactory(board=board, title="茉莉花茶的香气", language="zh-hans")
    PostFactory(board=board, title="Jasmine secret", state="draft")
    page = client.get("/en/search/?q=jasmine", **BROWSER).content.decode()
    assert "Jasmine pearls at dusk" in page and "Jasmine secret" not in page
    assert search_posts("花茶", language="zh-hans") == [zh]
