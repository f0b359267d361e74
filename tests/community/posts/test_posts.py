"""Community posts: each kind end to end, pictures, states, reviews, questions,
likes, views, feeds, privacy, the COMMUNITY_ADAPTER and query budgets. Boards
live under the default site's root page; reviews are about the test app's
`TeaProduct` (no demo site)."""

import io
import json
import re

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from PIL import Image
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from community.adapter import CommunityAdapter
from community.comments.models import Comment
from community.posts.models import Post, PostImage, PostReaction, PostReport
from community.posts.moderation import moderate_posts
from community.posts.services import (
    evaluate,
    report_post,
    search_posts,
    toggle_like,
)
from community.privacy import delete_account, export_user_data
from tests.factories import CommentFactory, MemberFactory, PostFactory
from tests.testapp.models import TeaProduct

from .post_helpers import jpeg_with_gps, make_board, png, upload

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}
JSON = {"HTTP_ACCEPT": "application/json", **BROWSER}


@pytest.fixture
def home(db):
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_page.specific if site else Page.get_first_root_page()


@pytest.fixture
def product(home):
    """A live product page that reviews may be about."""
    tea = TeaProduct(title="Dragon Well", slug="dragon-well")
    home.add_child(instance=tea)
    tea.save_revision().publish()
    return tea


@pytest.fixture
def editor(db):
    """A moderator of posts and comments (a superuser)."""
    return MemberFactory(username="posts-editor", is_staff=True, is_superuser=True)


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


def test_every_field_is_validated_with_clear_messages(member_client, board, product):
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


@override_settings(COMMUNITY_POSTS_RATE_LIMITS={"post": "1/m/user"})
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


def test_reviews_aggregate_on_the_product_page_with_json_ld(client, home, product):
    board = make_board(home)
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
    for hostile in ("²", "1" * 40, "1 OR 1=1", ""):
        response = client.post(answer_url, {"comment": hostile}, **JSON)
        assert response.status_code == (302 if hostile == "" else 400), hostile
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
    assert 'value="community_posts.post"' in page
    CommentFactory(content_object=post)
    assert Post.objects.get(pk=post.pk).comment_count == 1
    comment = Comment.objects.for_object(post).get()
    comment.state = "removed"
    comment.save()
    assert Post.objects.get(pk=post.pk).comment_count == 0


def test_sorting_pagination_feed_and_rss(client, board, home, settings):
    # Reads the pages' context, which a page served from the cache has not.
    settings.SHARING_PAGE_CACHE = False
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
    post = PostFactory(board=board, title="Osmanthus oolong evening")
    PostFactory(board=board, title="Osmanthus hidden", state="pending")
    backend = get_search_backend()
    backend.add(post)
    found = list(backend.search("Osmanthus", Post.objects.published()))
    assert found == [post]


def test_share_buttons_and_link_previews_through_sharing(client, board):
    post = PostFactory(board=board, title="Shared story")
    page = client.get(url(board, "post", post.pk), **BROWSER).content.decode()
    # English pages lead with the global platforms (Chinese ones: Weibo...).
    assert f"/share/x/post/{post.pk}/" in page
    assert '<meta property="og:title" content="Shared story">' in page
    response = client.get(f"/en/share/weibo/post/{post.pk}/", **BROWSER)
    assert response.status_code == 302 and "weibo.com" in response["Location"]
    hidden = PostFactory(board=board, state="pending")
    assert client.get(f"/en/share/weibo/post/{hidden.pk}/").status_code == 404


def test_the_share_endpoint_follows_a_post_that_changes(client, board):
    """What the share endpoint cached of a post (its snapshot) is forgotten
    when the post is edited, hidden or approved in bulk."""
    post = PostFactory(board=board, title="First title")

    def share():
        return client.get(f"/en/share/weibo/post/{post.pk}/", **BROWSER)

    assert "First%20title" in share()["Location"]
    post.title = "Second title"
    post.save()
    assert "Second%20title" in share()["Location"]
    moderate_posts(Post.objects.filter(pk=post.pk), "reject")
    assert share().status_code == 404
    moderate_posts(Post.objects.filter(pk=post.pk), "approve")
    assert share().status_code == 302


def test_posts_are_searched_in_english_and_chinese(board):
    found = PostFactory(board=board, title="Zephyrine pearls at dusk")
    zh = PostFactory(board=board, title="雪梨蜜柚茶的香气", language="zh-hans")
    PostFactory(board=board, title="Zephyrine secret", state="draft")
    assert search_posts("zephyrine") == [found]
    assert search_posts("蜜柚", language="zh-hans") == [zh]
    assert search_posts("蜜柚", language="en") == []
    assert search_posts("   ") == []


# Privacy: "Download my data" and "Delete my account"


def test_export_and_account_deletion_cover_posts(board, settings):
    author = MemberFactory()
    post = PostFactory(board=board, author=author, title="Mine")
    assert export_user_data(author)["posts"]["posts"][0]["title"] == "Mine"
    delete_account(author)
    post.refresh_from_db()
    assert post.author is None and post.author_name() == "Deleted member"
    settings.COMMUNITY_DELETED_ACCOUNT_CONTENT = "remove"
    second = MemberFactory()
    gone = PostFactory(board=board, author=second)
    delete_account(second)
    assert not Post.objects.filter(pk=gone.pk).exists()


def test_the_export_holds_the_members_likes_and_reports(board):
    member = MemberFactory()
    liked = PostFactory(board=board, title="Liked one")
    reported = PostFactory(board=board, title="Reported one")
    PostFactory(board=board, title="Someone else's like")
    toggle_like(member, liked)
    toggle_like(MemberFactory(), Post.objects.get(title="Someone else's like"))
    report_post(member, reported, "spam", "Selling pills")
    data = export_user_data(member)["posts"]
    assert data["posts"] == []
    assert [(like["post"], like["title"]) for like in data["likes"]] == [
        (liked.pk, "Liked one")
    ]
    assert data["likes"][0]["liked_at"]
    [report] = data["reports"]
    assert report["post"] == reported.pk and report["title"] == "Reported one"
    assert report["reason"] == "spam" and report["note"] == "Selling pills"
    assert report["reported_at"] and report["resolved_at"] is None
    json.dumps(data)  # what "Download my data" writes


@pytest.mark.parametrize("mode", ["anonymise", "remove"])
def test_deleting_an_account_takes_back_its_likes_and_open_reports(
    board, settings, mode
):
    settings.COMMUNITY_DELETED_ACCOUNT_CONTENT = mode
    leaving, staying = MemberFactory(), MemberFactory()
    both = PostFactory(board=board, title="Liked and reported by both")
    theirs = PostFactory(board=board, title="Liked by the leaving member")
    settled = PostFactory(board=board, title="Reported, then approved")
    for member in (leaving, staying):
        toggle_like(member, both)
        report_post(member, both, "spam")
    toggle_like(leaving, theirs)
    report_post(leaving, settled, "offensive")
    moderate_posts([settled], "approve")  # resolves the report, counter to 0
    assert Post.objects.needs_review().filter(pk=settled.pk).count() == 0
    delete_account(leaving)
    counts = dict(board.posts.values_list("title", "like_count"))
    assert counts["Liked and reported by both"] == 1
    assert counts["Liked by the leaving member"] == 0
    reports = dict(board.posts.values_list("title", "report_count"))
    assert reports["Liked and reported by both"] == 1
    assert reports["Reported, then approved"] == 0
    assert not PostReaction.objects.filter(post__in=[both, theirs]).exclude(
        user=staying
    )
    assert list(
        PostReport.objects.filter(post__board=board).values_list("user", flat=True)
    ) == [staying.pk]
    assert PostReaction.objects.get(post=both).user == staying


def test_a_member_who_leaves_takes_their_report_out_of_the_queue(board):
    reporter = MemberFactory()
    post = PostFactory(board=board)
    report_post(reporter, post, "spam", "Looks like an advert")
    assert list(Post.objects.needs_review().filter(board=board)) == [post]
    delete_account(reporter)
    assert list(Post.objects.needs_review().filter(board=board)) == []
    assert Post.objects.get(pk=post.pk).report_count == 0


# COMMUNITY_ADAPTER: who may post, who is trusted, who is a bot


class TeaClubAdapter(CommunityAdapter):
    """Only members of the tea club take part; its members are trusted."""

    def participation_denied(self, user, *, require_verified_email=True):
        denied = super().participation_denied(
            user, require_verified_email=require_verified_email
        )
        if denied is None and not user.username.startswith("club-"):
            return "Only members of the tea club may take part."
        return denied

    def trust_level(self, user):
        if user.is_authenticated and user.username.startswith("club-"):
            return self.TRUSTED
        return super().trust_level(user)


class EverybodyIsABotAdapter(CommunityAdapter):
    def is_bot(self, request):
        return True


@override_settings(COMMUNITY_ADAPTER="tests.community.posts.test_posts.TeaClubAdapter")
def test_an_adapter_that_denies_participation_blocks_posting(client, board):
    outsider = MemberFactory()
    post = PostFactory(board=board)
    client.force_login(outsider)
    page = client.get(url(board), **BROWSER).content.decode()
    assert "Only members of the tea club may take part." in page
    response = new_post(client, board, title="Let me in")
    assert response.status_code == 403
    assert "Only members of the tea club may take part." in response.content.decode()
    assert not Post.objects.filter(title="Let me in").exists()
    like = client.post(
        url(board, "post_like", post.pk), HTTP_ACCEPT="application/json", **BROWSER
    )
    assert like.status_code == 403
    assert Post.objects.get(pk=post.pk).like_count == 0
    client.force_login(MemberFactory(username="club-anna"))
    assert new_post(client, board, title="A club story").status_code == 302
    assert Post.objects.get(title="A club story").state == "published"


@override_settings(COMMUNITY_POSTS_TRUSTED_AFTER=2)
def test_premoderated_boards_trust_the_adapters_trusted_members(home):
    board = make_board(home, moderation="pre")
    newcomer = MemberFactory()
    staff = MemberFactory(is_staff=True)
    assert evaluate(board, newcomer, "Hello").held
    assert not evaluate(board, staff, "Hello").held  # TRUSTED by default
    PostFactory.create_batch(2, board=board, author=newcomer)
    assert not evaluate(board, newcomer, "Hello").held  # trusted after 2 posts
    with override_settings(COMMUNITY_POSTS_TRUSTED_AFTER=0):
        assert evaluate(board, newcomer, "Hello").held
        assert not evaluate(board, staff, "Hello").held
    with override_settings(
        COMMUNITY_ADAPTER="tests.community.posts.test_posts.TeaClubAdapter"
    ):
        assert not evaluate(board, MemberFactory(username="club-bo"), "Hi").held
        assert evaluate(board, MemberFactory(), "Hi").held
    post_board = make_board(home, moderation="post")
    assert not evaluate(post_board, MemberFactory(), "Hello").held


@override_settings(
    COMMUNITY_ADAPTER="tests.community.posts.test_posts.EverybodyIsABotAdapter"
)
def test_the_adapter_decides_which_visits_are_bots(client, board):
    post = PostFactory(board=board)
    assert client.get(url(board, "post", post.pk), **BROWSER).status_code == 200
    assert Post.objects.get(pk=post.pk).view_count == 0


def test_the_admin_list_previews_posts_with_a_link_to_inspect_them(
    client, board, editor
):
    post = PostFactory(board=board, title="Previewed in the admin", state="pending")
    client.force_login(editor)
    response = client.get("/admin/community/posts/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Previewed in the admin" in page
    assert f"/admin/community/posts/inspect/{post.pk}/" in page
