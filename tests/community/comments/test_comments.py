"""Comments from the visitor's side: posting, replies, edit, delete, likes,
flags, follows and their e-mails, closed pages, bad input."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from community.comments.models import (
    Comment,
    CommentFlagReport,
    CommentReaction,
    ThreadFollow,
)
from community.models import Profile
from socialsite.website.models import ArticlePage, ProductPage
from tests.community.comments.comment_helpers import form_data, post_comment
from tests.factories import CommentFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.usefixtures("clean_comments")


@pytest.fixture
def article(demo_site):
    return ArticlePage.objects.live().filter(locale__language_code="en").first()


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def test_a_member_posts_a_comment_that_shows_on_the_page(member_client, article):
    response = post_comment(member_client, article, "A *fine* [tea](https://t.example)")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}#c{comment.pk}"
    assert comment.state == Comment.State.PUBLISHED and comment.is_public
    assert comment.language == "en"
    page = member_client.get(article.url).content.decode()
    assert "<em>fine</em>" in page
    assert 'rel="nofollow ugc noopener"' in page
    assert "Your comment is published." in page


def test_posting_with_javascript_answers_json_with_the_new_comment(
    member_client, article
):
    response = post_comment(member_client, article, "Lovely aroma", json=True)
    data = response.json()
    assert data["ok"] is True
    assert f'id="c{data["id"]}"' in data["html"]
    assert "Lovely aroma" in data["html"]


def test_the_form_keeps_comments_xtd_security_hash_and_honeypot(member_client, article):
    tampered = form_data(article, "hi")
    tampered["security_hash"] = "0" * 40
    response = member_client.post("/en/community/comments/post/", tampered)
    assert response.status_code == 302
    assert not Comment.objects.exists()
    honeypot = post_comment(member_client, article, "hi", honeypot="I am a bot")
    assert honeypot.status_code == 302
    assert not Comment.objects.exists()
    messages = [str(m) for m in honeypot.wsgi_request._messages]
    assert any("expired or was changed" in m for m in messages)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"content_type": "auth.user", "object_pk": "1"},
        {"content_type": "website.articlepage", "object_pk": "not-a-number"},
        {"content_type": "nonsense", "object_pk": "1"},
    ],
)
def test_bad_targets_get_a_clear_answer_not_a_500(member_client, data):
    response = member_client.post(
        "/en/community/comments/post/", data, headers={"Accept": "application/json"}
    )
    assert response.status_code == 404
    assert response.json()["message"] == "This page does not take comments."


def test_an_empty_or_too_long_comment_is_refused_with_the_text_kept(
    member_client, article
):
    response = post_comment(member_client, article, "   ")
    assert response.status_code == 400
    assert "Write something first." in response.content.decode()
    with override_settings(COMMUNITY_COMMENTS_MAX_LENGTH=10):
        response = post_comment(member_client, article, "x" * 11, json=True)
    assert response.status_code == 400
    assert "at most 10 characters" in " ".join(response.json()["errors"]["comment"])
    assert not Comment.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(client, article):
    response = post_comment(client, article, "hello", json=True)
    assert response.status_code == 403
    assert response.json()["message"] == "Sign in to take part."
    page = client.get(article.url).content.decode()
    assert "Sign in to comment" in page
    assert 'name="comment"' not in page


@override_settings(COMMUNITY_COMMENTS_ALLOW_ANONYMOUS=True)
def test_anonymous_comments_when_allowed_are_confirmed_by_e_mail(client, article):
    response = post_comment(
        client, article, "Guest here", name="Li Lei", email="li@example.com"
    )
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li@example.com"]
    link = re.search(r"/en/comments/confirm/[^/\s]+/", mail.outbox[0].body).group(0)
    confirmed = client.get(link)
    comment = Comment.objects.get()
    assert confirmed.status_code == 302
    assert confirmed["Location"].endswith(f"#c{comment.pk}")
    assert comment.user is None and comment.user_name == "Li Lei"
    assert comment.comment_html == "<p>Guest here</p>"


def test_a_suspended_member_is_told_why(client, article, member):
    Profile.objects.create(user=member).suspend("Spam links")
    client.force_login(member)
    response = post_comment(client, article, "hi", json=True)
    assert response.status_code == 403
    assert response.json()["message"] == "Your account is suspended: Spam links"
    assert (
        "Your account is suspended: Spam links"
        in client.get(article.url).content.decode()
    )


def test_an_unverified_member_must_confirm_first(client, article):
    user = UserFactory()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=False)
    client.force_login(user)
    response = post_comment(client, article, "hi", json=True)
    assert response.json()["message"] == "Confirm your e-mail address to take part."
    assert not Comment.objects.exists()


def test_editors_close_or_hide_comments_per_page(member_client, article):
    CommentFactory(content_object=article, comment="Before closing")
    article.allow_comments = False
    article.save_revision().publish()
    page = member_client.get(article.url).content.decode()
    assert "Before closing" in page and "Comments are closed here." in page
    response = post_comment(member_client, article, "after", json=True)
    assert response.status_code == 403
    article.show_comments = False
    article.save_revision().publish()
    assert 'id="comments"' not in member_client.get(article.url).content.decode()


def test_replies_go_down_to_the_depth_limit(member_client, article):
    parent = None
    for level in range(3):
        response = post_comment(
            member_client, article, f"level {level}", parent.pk if parent else 0
        )
        assert response.status_code == 302
        parent = Comment.objects.get(comment=f"level {level}")
        assert parent.level == level
    response = post_comment(member_client, article, "too deep", parent.pk, json=True)
    assert response.status_code == 400
    assert "as deep as it goes" in response.json()["message"]
    assert Comment.objects.count() == 3
    page = member_client.get(article.url).content.decode()
    # No "Reply" on the deepest comment.
    assert f'data-comments-reply="{parent.pk}"' not in page
    assert f'data-comments-reply="{parent.parent_id}"' in page


def test_the_depth_is_configurable(member_client, article, monkeypatch):
    # comments-xtd copies its settings once, so override_settings cannot reach
    # them: patch its settings object as a changed setting would.
    from django_comments_xtd.conf import settings as xtd_settings

    assert xtd_settings.COMMENTS_XTD_MAX_THREAD_LEVEL == 2
    monkeypatch.setattr(xtd_settings._wrapped, "COMMENTS_XTD_MAX_THREAD_LEVEL", 1)
    root = CommentFactory(content_object=article)
    reply = CommentFactory(content_object=article, parent_id=root.pk)
    response = post_comment(member_client, article, "deeper", reply.pk, json=True)
    assert response.status_code == 400


def test_authors_edit_within_the_window_and_it_shows_edited(
    member_client, member, article
):
    comment = CommentFactory(content_object=article, user=member)
    url = f"/en/community/comments/{comment.pk}/edit/"
    assert member_client.get(url).status_code == 200
    response = member_client.post(url, {"comment": "Better *words*"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.comment_html == "<p>Better <em>words</em></p>"
    assert comment.edited_at is not None
    assert "edited" in member_client.get(article.url).content.decode()
    Comment.objects.filter(pk=comment.pk).update(
        submit_date=timezone.now() - timezone.timedelta(minutes=16)
    )
    late = member_client.post(
        url, {"comment": "Too late"}, headers={"Accept": "application/json"}
    )
    assert late.status_code == 403
    assert late.json()["message"] == "The time to edit this comment is over."


def test_nobody_edits_or_deletes_someone_elses_comment(member_client, article):
    comment = CommentFactory(content_object=article)
    for action in ("edit", "delete"):
        response = member_client.post(
            f"/en/community/comments/{comment.pk}/{action}/",
            {"comment": "mine now"},
            headers={"Accept": "application/json"},
        )
        assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.comment != "mine now"


def test_deleting_a_comment_with_replies_leaves_a_placeholder(
    member_client, member, article
):
    root = CommentFactory(content_object=article, user=member, comment="Original")
    CommentFactory(content_object=article, parent_id=root.pk, comment="A reply")
    lonely = CommentFactory(content_object=article, user=member, comment="Alone")
    member_client.post(f"/en/community/comments/{root.pk}/delete/")
    member_client.post(f"/en/community/comments/{lonely.pk}/delete/")
    root.refresh_from_db()
    assert root.is_deleted and root.comment == ""
    assert not Comment.objects.filter(pk=lonely.pk).exists()
    page = member_client.get(article.url).content.decode()
    assert "This comment was deleted." in page
    assert "A reply" in page and "Original" not in page and "Alone" not in page


def test_deleting_a_reply_keeps_the_thread_counters_right(
    member_client, member, article
):
    root = CommentFactory(content_object=article)
    reply = CommentFactory(content_object=article, parent_id=root.pk, user=member)
    root.refresh_from_db()
    assert root.nested_count == 1
    member_client.post(f"/en/community/comments/{reply.pk}/delete/")
    root.refresh_from_db()
    assert root.nested_count == 0


def test_a_like_counts_once_per_member_and_toggles(client, article):
    comment = CommentFactory(content_object=article)
    first, second = MemberFactory(), MemberFactory()
    url = f"/en/community/comments/{comment.pk}/like/"
    json = {"Accept": "application/json"}
    client.force_login(first)
    assert client.post(url, headers=json).json() == {
        "ok": True,
        "liked": True,
        "count": 1,
    }
    client.force_login(second)
    assert client.post(url, headers=json).json()["count"] == 2
    assert client.post(url, headers=json).json() == {
        "ok": True,
        "liked": False,
        "count": 1,
    }
    assert CommentReaction.objects.filter(comment=comment).count() == 1
    client.force_login(comment.user)
    own = client.post(url, headers=json)
    assert own.status_code == 400


def test_sort_by_most_liked(member_client, article):
    CommentFactory(content_object=article, comment="quiet one")
    CommentFactory(content_object=article, comment="crowd favourite", like_count=5)
    page = member_client.get(article.url + "?sort=liked").content.decode()
    assert page.index("crowd favourite") < page.index("quiet one")
    page = member_client.get(article.url + "?sort=oldest").content.decode()
    assert page.index("quiet one") < page.index("crowd favourite")


def test_flagging_with_a_reason_puts_the_comment_in_the_queue(member_client, article):
    comment = CommentFactory(content_object=article)
    url = f"/en/community/comments/{comment.pk}/flag/"
    assert (
        "Why should a moderator look at this?"
        in member_client.get(url).content.decode()
    )
    assert member_client.post(url, {"reason": "nonsense"}).status_code == 400
    response = member_client.post(url, {"reason": "spam", "note": "casino link"})
    assert response.status_code == 302
    again = member_client.post(
        url, {"reason": "abuse"}, headers={"Accept": "application/json"}
    )
    assert again.json()["message"] == "You already reported this comment."
    comment.refresh_from_db()
    assert comment.flag_count == 1
    report = CommentFlagReport.objects.get()
    assert (report.reason, report.note) == ("spam", "casino link")
    assert list(Comment.objects.needs_review()) == [comment]


def test_followers_get_an_e_mail_in_their_language_with_one_click_unsubscribe(
    client, article, django_capture_on_commit_callbacks
):
    follower, replier = MemberFactory(), MemberFactory()
    client.force_login(follower)
    client.post(
        "/zh-hans/community/comments/post/",
        form_data(article, "我先说", followup="on"),
    )
    root = Comment.objects.get()
    assert ThreadFollow.objects.get().language == "zh-hans"
    client.force_login(replier)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, "A reply in English", root.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [follower.email]
    assert "新回复" in message.subject
    assert "A reply in English" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<p>A reply in English</p>" in html
    link = re.search(
        r"http://\S+/community/comments/unfollow/\S+/", message.body
    ).group(0)
    client.logout()
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert not ThreadFollow.objects.exists()
    bad = client.get("/en/community/comments/unfollow/forged-token/")
    assert bad.status_code == 400


def test_follow_button_toggles(member_client, article):
    comment = CommentFactory(content_object=article)
    url = f"/en/community/comments/{comment.pk}/follow/"
    json = {"Accept": "application/json"}
    assert member_client.post(url, headers=json).json()["following"] is True
    assert member_client.post(url, headers=json).json()["following"] is False


def test_rate_limits_per_member_with_a_clear_message(member_client, article):
    limits = {"comment_member": "2/m", "comment_ip": "100/h"}
    with override_settings(COMMUNITY_COMMENTS_RATE_LIMITS=limits):
        for n in range(2):
            assert post_comment(member_client, article, f"n{n}").status_code == 302
        response = post_comment(member_client, article, "n3", json=True)
    assert response.status_code == 429
    assert "too fast" in response.json()["message"]
    assert Comment.objects.count() == 2


def test_rate_limits_per_ip_cover_several_accounts(client, article):
    with override_settings(COMMUNITY_COMMENTS_RATE_LIMITS={"reaction_ip": "3/m"}):
        comment = CommentFactory(content_object=article)
        codes = []
        for _n in range(4):
            client.force_login(MemberFactory())
            codes.append(
                client.post(f"/en/community/comments/{comment.pk}/like/").status_code
            )
    assert codes == [302, 302, 302, 302]
    assert Comment.objects.get(pk=comment.pk).like_count == 3


def test_products_take_comments_too(member_client, demo_site):
    product = ProductPage.objects.live().filter(locale__language_code="en").first()
    post_comment(member_client, product, "Bought twice already")
    assert "Bought twice already" in member_client.get(product.url).content.decode()


def test_load_more_returns_the_next_threads(client, article):
    with override_settings(COMMUNITY_COMMENTS_PER_PAGE=2):
        for n in range(3):
            CommentFactory(content_object=article, comment=f"thread {n}")
        page = client.get(article.url).content.decode()
        assert "thread 2" in page and "thread 0" not in page
        more = re.search(r'data-comments-more-url="([^"]+)"', page).group(1)
        fragment = client.get(more.replace("&amp;", "&")).content.decode()
    assert "thread 0" in fragment and "thread 2" not in fragment


def test_without_javascript_reply_opens_a_form_under_the_comment(
    member_client, article
):
    root = CommentFactory(content_object=article)
    page = member_client.get(f"{article.url}?reply_to={root.pk}").content.decode()
    form_start = page.index(f'id="reply-{root.pk}"')
    assert f'name="reply_to" value="{root.pk}"' in page[form_start:]
    assert "Post reply" in page[form_start:]


@override_settings(
    COMMUNITY_COMMENTS_ALLOW_ANONYMOUS=True, COMMUNITY_COMMENTS_TRUSTED_AFTER=1
)
def test_a_held_anonymous_comment_says_so_after_confirmation(client, article):
    post_comment(client, article, "Guest", name="Li Lei", email="li@example.com")
    link = re.search(r"/en/comments/confirm/[^/\s]+/", mail.outbox[0].body).group(0)
    page = client.get(link)
    assert page.status_code == 200
    assert "waiting for a moderator" in page.content.decode()
    assert Comment.objects.get().state == Comment.State.PENDING


@pytest.mark.parametrize(
    "override",
    [
        {"reply_to": "abc"},
        {"reply_to": "999999"},
        {"timestamp": "yesterday"},
        {"security_hash": ""},
        {"comment": "\x00nul"},
        {"followup": "maybe", "as_brand": "yes"},
    ],
)
def test_bad_input_never_breaks_the_post_view(member_client, article, override):
    data = {**form_data(article, "Fine text"), **override}
    response = member_client.post("/en/community/comments/post/", data)
    assert response.status_code in (200, 302, 400)
    for pk in ("999999", "0"):
        for action in ("like", "flag", "follow", "edit", "delete"):
            assert (
                member_client.post(f"/en/community/comments/{pk}/{action}/").status_code
                == 404
            )
