"""Comments from the visitor's side: posting, replies, edit, delete, likes,
flags, follows and their e-mails, closed pages, bad input."""

import re
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.test import Client, override_settings
from django.utils import timezone
from django_comments.signals import comment_was_posted, comment_will_be_posted
from django_comments_xtd.conf import settings as xtd_settings

from community.comments.checks import check_comments
from community.comments.models import (
    Comment,
    CommentFlagReport,
    CommentReaction,
    ThreadFollow,
)
from community.comments.notifications import UNFOLLOW_SALT, unfollow_token
from community.models import Profile
from tests.community.comments.comment_helpers import form_data, post_comment
from tests.factories import CommentFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_posts_a_comment_that_shows_on_the_page(member_client, page):
    response = post_comment(member_client, page, "A *fine* [tea](https://t.example)")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{page.url}#c{comment.pk}"
    assert comment.state == Comment.State.PUBLISHED and comment.is_public
    assert comment.language == "en"
    html = member_client.get(page.url).content.decode()
    assert "<em>fine</em>" in html
    assert 'rel="nofollow ugc noopener"' in html
    assert "Your comment is published." in html


def test_posting_with_javascript_answers_json_with_the_new_comment(member_client, page):
    response = post_comment(member_client, page, "Lovely aroma", json=True)
    data = response.json()
    assert data["ok"] is True
    assert f'id="c{data["id"]}"' in data["html"]
    assert "Lovely aroma" in data["html"]


def test_the_form_keeps_comments_xtd_security_hash_and_honeypot(member_client, page):
    tampered = form_data(page, "hi")
    tampered["security_hash"] = "0" * 40
    response = member_client.post("/en/community/comments/post/", tampered)
    assert response.status_code == 302
    assert not Comment.objects.exists()
    honeypot = post_comment(member_client, page, "hi", honeypot="I am a bot")
    assert honeypot.status_code == 302
    assert not Comment.objects.exists()
    messages = [str(m) for m in honeypot.wsgi_request._messages]
    assert any("expired or was changed" in m for m in messages)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"content_type": "auth.user", "object_pk": "1"},
        {"content_type": "testapp.commentablepage", "object_pk": "not-a-number"},
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
    member_client, page
):
    response = post_comment(member_client, page, "   ")
    assert response.status_code == 400
    assert "Write something first." in response.content.decode()
    with override_settings(COMMUNITY_COMMENTS_MAX_LENGTH=10):
        response = post_comment(member_client, page, "x" * 11, json=True)
    assert response.status_code == 400
    assert "at most 10 characters" in " ".join(response.json()["errors"]["comment"])
    assert not Comment.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(client, page):
    response = post_comment(client, page, "hello", json=True)
    assert response.status_code == 403
    assert response.json()["message"] == "Sign in to take part."
    html = client.get(page.url).content.decode()
    assert "Sign in to comment" in html
    assert 'name="comment"' not in html


@override_settings(COMMUNITY_COMMENTS_ALLOW_ANONYMOUS=True)
def test_anonymous_comments_when_allowed_are_confirmed_by_e_mail(client, page):
    response = post_comment(
        client, page, "Guest here", name="Li Lei", email="li@example.com"
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


def test_a_suspended_member_is_told_why(client, page, member):
    Profile.objects.create(user=member).suspend("Spam links")
    client.force_login(member)
    response = post_comment(client, page, "hi", json=True)
    assert response.status_code == 403
    assert response.json()["message"] == "Your account is suspended: Spam links"
    assert (
        "Your account is suspended: Spam links" in client.get(page.url).content.decode()
    )


def test_an_unverified_member_must_confirm_first(client, page):
    user = UserFactory()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=False)
    client.force_login(user)
    response = post_comment(client, page, "hi", json=True)
    assert response.json()["message"] == "Confirm your e-mail address to take part."
    assert not Comment.objects.exists()


def test_editors_close_or_hide_comments_per_page(member_client, page):
    CommentFactory(content_object=page, comment="Before closing")
    page.allow_comments = False
    page.save_revision().publish()
    html = member_client.get(page.url).content.decode()
    assert "Before closing" in html and "Comments are closed here." in html
    response = post_comment(member_client, page, "after", json=True)
    assert response.status_code == 403
    page.show_comments = False
    page.save_revision().publish()
    assert 'id="comments"' not in member_client.get(page.url).content.decode()


def test_replies_go_down_to_the_depth_limit(member_client, page):
    parent = None
    for level in range(3):
        response = post_comment(
            member_client, page, f"level {level}", parent.pk if parent else 0
        )
        assert response.status_code == 302
        parent = Comment.objects.get(comment=f"level {level}")
        assert parent.level == level
    response = post_comment(member_client, page, "too deep", parent.pk, json=True)
    assert response.status_code == 400
    assert "as deep as it goes" in response.json()["message"]
    assert Comment.objects.count() == 3
    html = member_client.get(page.url).content.decode()
    # No "Reply" on the deepest comment.
    assert f'data-comments-reply="{parent.pk}"' not in html
    assert f'data-comments-reply="{parent.parent_id}"' in html


def test_the_depth_is_configurable(member_client, page, monkeypatch):
    # comments-xtd copies its settings once, so override_settings cannot reach
    # them: patch its settings object as a changed setting would.
    assert xtd_settings.COMMENTS_XTD_MAX_THREAD_LEVEL == 2
    monkeypatch.setattr(xtd_settings._wrapped, "COMMENTS_XTD_MAX_THREAD_LEVEL", 1)
    root = CommentFactory(content_object=page)
    reply = CommentFactory(content_object=page, parent_id=root.pk)
    response = post_comment(member_client, page, "deeper", reply.pk, json=True)
    assert response.status_code == 400


def test_authors_edit_within_the_window_and_it_shows_edited(
    member_client, member, page
):
    comment = CommentFactory(content_object=page, user=member)
    url = f"/en/community/comments/{comment.pk}/edit/"
    assert member_client.get(url).status_code == 200
    response = member_client.post(url, {"comment": "Better *words*"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.comment_html == "<p>Better <em>words</em></p>"
    assert comment.edited_at is not None
    assert "edited" in member_client.get(page.url).content.decode()
    Comment.objects.filter(pk=comment.pk).update(
        submit_date=timezone.now() - timezone.timedelta(minutes=16)
    )
    late = member_client.post(
        url, {"comment": "Too late"}, headers={"Accept": "application/json"}
    )
    assert late.status_code == 403
    assert late.json()["message"] == "The time to edit this comment is over."


def test_nobody_edits_or_deletes_someone_elses_comment(member_client, page):
    comment = CommentFactory(content_object=page)
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
    member_client, member, page
):
    root = CommentFactory(content_object=page, user=member, comment="Original")
    CommentFactory(content_object=page, parent_id=root.pk, comment="A reply")
    lonely = CommentFactory(content_object=page, user=member, comment="Alone")
    member_client.post(f"/en/community/comments/{root.pk}/delete/")
    member_client.post(f"/en/community/comments/{lonely.pk}/delete/")
    root.refresh_from_db()
    assert root.is_deleted and root.comment == ""
    assert not Comment.objects.filter(pk=lonely.pk).exists()
    html = member_client.get(page.url).content.decode()
    assert "This comment was deleted." in html
    assert "A reply" in html and "Original" not in html and "Alone" not in html


def test_deleting_a_reply_keeps_the_thread_counters_right(member_client, member, page):
    root = CommentFactory(content_object=page)
    reply = CommentFactory(content_object=page, parent_id=root.pk, user=member)
    root.refresh_from_db()
    assert root.nested_count == 1
    member_client.post(f"/en/community/comments/{reply.pk}/delete/")
    root.refresh_from_db()
    assert root.nested_count == 0


def test_a_like_counts_once_per_member_and_toggles(client, page):
    comment = CommentFactory(content_object=page)
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


def test_sort_by_most_liked(member_client, page):
    CommentFactory(content_object=page, comment="quiet one")
    CommentFactory(content_object=page, comment="crowd favourite", like_count=5)
    html = member_client.get(page.url + "?sort=liked").content.decode()
    assert html.index("crowd favourite") < html.index("quiet one")
    html = member_client.get(page.url + "?sort=oldest").content.decode()
    assert html.index("quiet one") < html.index("crowd favourite")


def test_flagging_with_a_reason_puts_the_comment_in_the_queue(member_client, page):
    comment = CommentFactory(content_object=page)
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
    client, page, django_capture_on_commit_callbacks
):
    follower, replier = MemberFactory(), MemberFactory()
    client.force_login(follower)
    client.post(
        "/zh-hans/community/comments/post/",
        form_data(page, "我先说", followup="on"),
    )
    root = Comment.objects.get()
    assert ThreadFollow.objects.get().language == "zh-hans"
    client.force_login(replier)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, page, "A reply in English", root.pk)
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
    # The mail client's one-click unsubscribe (RFC 2369, RFC 8058).
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert link in html
    client.logout()
    # Opening the link (as mail scanners do) only asks ...
    response = client.get(urlsplit(link).path)
    assert response.status_code == 200
    assert '<form method="post"' in response.content.decode()
    assert ThreadFollow.objects.exists()
    # ... its button unsubscribes.
    response = client.post(urlsplit(link).path)
    assert response.status_code == 200
    assert not ThreadFollow.objects.exists()
    bad = client.get("/en/community/comments/unfollow/forged-token/")
    assert bad.status_code == 400


@pytest.fixture
def follow(page, member):
    thread = CommentFactory(content_object=page)
    return ThreadFollow.objects.create(thread=thread, user=member, language="en")


def unfollow_url(follow):
    return f"/en/community/comments/unfollow/{unfollow_token(follow)}/"


def test_opening_the_unsubscribe_link_only_asks(client, follow, page):
    response = client.get(unfollow_url(follow))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop e-mails about this thread?" in html
    assert f"“{page.title}”" in html
    assert 'type="submit"' in html and "Unsubscribe" in html
    assert f'href="{page.url}#comments"' in html
    assert ThreadFollow.objects.filter(pk=follow.pk).exists()
    # HEAD (link checkers) changes nothing either.
    assert client.head(unfollow_url(follow)).status_code == 200
    assert ThreadFollow.objects.filter(pk=follow.pk).exists()


def test_the_confirmation_button_unsubscribes_without_a_csrf_token(follow):
    client = Client(enforce_csrf_checks=True)
    response = client.post(unfollow_url(follow))
    assert response.status_code == 200
    assert "You will no longer get e-mails" in response.content.decode()
    assert not ThreadFollow.objects.filter(pk=follow.pk).exists()
    # Following the link again says so, without an error.
    again = client.get(unfollow_url(follow))
    assert again.status_code == 200
    assert "You already unsubscribed" in again.content.decode()
    assert client.post(unfollow_url(follow)).status_code == 200


def test_one_click_unsubscribe_from_the_mail_client(follow):
    other = ThreadFollow.objects.create(thread=follow.thread, user=MemberFactory())
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unfollow_url(follow),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not ThreadFollow.objects.filter(pk=follow.pk).exists()
    assert ThreadFollow.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    "token",
    [
        "forged-token",
        "eyJmIjoxLCJ1IjoxfQ:1vQ0d5:not-our-signature",
        signing.dumps({"f": 1, "u": 1}, salt="another.salt"),
        signing.dumps("not a dict", salt=UNFOLLOW_SALT),
        signing.dumps({"f": "x", "u": None}, salt=UNFOLLOW_SALT),
        "%00",
    ],
    # Signed tokens carry a timestamp: stable ids keep every xdist worker's
    # collection the same.
    ids=["forged", "bad-signature", "other-salt", "not-a-dict", "bad-ids", "nul"],
)
def test_a_bad_unsubscribe_link_gets_a_clear_400(client, follow, token):
    for method in (client.get, client.post):
        response = method(f"/en/community/comments/unfollow/{token}/")
        assert response.status_code == 400
        assert "This link is not valid." in response.content.decode()
    assert ThreadFollow.objects.filter(pk=follow.pk).exists()


def test_an_expired_unsubscribe_link_says_so(client, follow, monkeypatch):
    now = time.time()
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: now - 366 * 24 * 60 * 60)
        url = unfollow_url(follow)
    response = client.post(url)
    assert response.status_code == 400
    assert "This link has expired." in response.content.decode()
    assert ThreadFollow.objects.filter(pk=follow.pk).exists()


def test_follow_button_toggles(member_client, page):
    comment = CommentFactory(content_object=page)
    url = f"/en/community/comments/{comment.pk}/follow/"
    json = {"Accept": "application/json"}
    assert member_client.post(url, headers=json).json()["following"] is True
    assert member_client.post(url, headers=json).json()["following"] is False


def test_rate_limits_per_member_with_a_clear_message(member_client, page):
    limits = {"comment": "2/m/user,100/h/ip"}
    with override_settings(COMMUNITY_COMMENTS_RATE_LIMITS=limits):
        for n in range(2):
            assert post_comment(member_client, page, f"n{n}").status_code == 302
        response = post_comment(member_client, page, "n3", json=True)
    assert response.status_code == 429
    assert "too fast" in response.json()["message"]
    assert Comment.objects.count() == 2


def test_rate_limits_per_ip_cover_several_accounts(client, page):
    with override_settings(COMMUNITY_COMMENTS_RATE_LIMITS={"reaction": "3/m/ip"}):
        comment = CommentFactory(content_object=page)
        codes = []
        for _n in range(4):
            client.force_login(MemberFactory())
            codes.append(
                client.post(f"/en/community/comments/{comment.pk}/like/").status_code
            )
    assert codes == [302, 302, 302, 302]
    assert Comment.objects.get(pk=comment.pk).like_count == 3


def test_products_take_comments_too(member_client, product):
    post_comment(member_client, product, "Bought twice already")
    assert "Bought twice already" in member_client.get(product.url).content.decode()


def test_load_more_returns_the_next_threads(client, page):
    with override_settings(COMMUNITY_COMMENTS_PER_PAGE=2):
        for n in range(3):
            CommentFactory(content_object=page, comment=f"thread {n}")
        html = client.get(page.url).content.decode()
        assert "thread 2" in html and "thread 0" not in html
        more = re.search(r'data-comments-more-url="([^"]+)"', html).group(1)
        fragment = client.get(more.replace("&amp;", "&")).content.decode()
    assert "thread 0" in fragment and "thread 2" not in fragment


def test_without_javascript_reply_opens_a_form_under_the_comment(member_client, page):
    root = CommentFactory(content_object=page)
    html = member_client.get(f"{page.url}?reply_to={root.pk}").content.decode()
    form_start = html.index(f'id="reply-{root.pk}"')
    assert f'name="reply_to" value="{root.pk}"' in html[form_start:]
    assert "Post reply" in html[form_start:]


@override_settings(
    COMMUNITY_COMMENTS_ALLOW_ANONYMOUS=True, COMMUNITY_COMMENTS_TRUSTED_AFTER=1
)
def test_a_held_anonymous_comment_says_so_after_confirmation(client, page):
    post_comment(client, page, "Guest", name="Li Lei", email="li@example.com")
    link = re.search(r"/en/comments/confirm/[^/\s]+/", mail.outbox[0].body).group(0)
    confirmed = client.get(link)
    assert confirmed.status_code == 200
    assert "waiting for a moderator" in confirmed.content.decode()
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
def test_bad_input_never_breaks_the_post_view(member_client, page, override):
    data = {**form_data(page, "Fine text"), **override}
    response = member_client.post("/en/community/comments/post/", data)
    assert response.status_code in (200, 302, 400)
    for pk in ("999999", "0"):
        for action in ("like", "flag", "follow", "edit", "delete"):
            assert (
                member_client.post(f"/en/community/comments/{pk}/{action}/").status_code
                == 404
            )


@pytest.mark.parametrize("value", [0, -5, "1 year", True])
def test_the_unsubscribe_link_lifetime_is_checked(settings, value):
    settings.COMMUNITY_COMMENTS_UNFOLLOW_LINK_MAX_AGE = value
    assert [error.id for error in check_comments(None)] == ["community_comments.E203"]
    settings.COMMUNITY_COMMENTS_UNFOLLOW_LINK_MAX_AGE = None
    assert check_comments(None) == []


@contextmanager
def receiving(signal, receiver):
    signal.connect(receiver, sender=Comment, dispatch_uid="test-receiver")
    try:
        yield
    finally:
        signal.disconnect(sender=Comment, dispatch_uid="test-receiver")


def test_comments_xtd_signals_fire_around_saving(member_client, member, page):
    seen = []

    def will_be_posted(sender, comment, request, **kwargs):
        seen.append(("will", comment.pk, comment.user, comment.comment))
        assert request.user == member
        assert not Comment.objects.exists()

    def was_posted(sender, comment, request, **kwargs):
        seen.append(("was", comment.pk, comment.user, comment.comment))
        assert Comment.objects.get(pk=comment.pk).comment == "Signals, please"

    with (
        receiving(comment_will_be_posted, will_be_posted),
        receiving(comment_was_posted, was_posted),
    ):
        response = post_comment(member_client, page, "Signals, please")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert seen == [
        ("will", None, member, "Signals, please"),
        ("was", comment.pk, member, "Signals, please"),
    ]


def test_a_receiver_that_returns_false_stops_the_comment(member_client, page):
    posted = []
    with (
        receiving(comment_will_be_posted, lambda **kwargs: False),
        receiving(comment_was_posted, lambda **kwargs: posted.append(kwargs)),
    ):
        response = post_comment(
            member_client, page, "Stopped", json=True, followup="on"
        )
        assert response.status_code == 400
        assert response.json() == {
            "ok": False,
            "message": "This comment was not accepted.",
        }
        response = post_comment(member_client, page, "Stopped again")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["This comment was not accepted."]
    assert not Comment.objects.exists()
    assert not ThreadFollow.objects.exists()
    assert posted == []


def test_a_receiver_may_hold_the_comment_for_a_moderator(member_client, page):
    def hold(sender, comment, **kwargs):
        comment.is_public = False

    with receiving(comment_will_be_posted, hold):
        response = post_comment(member_client, page, "Hold me", json=True)
    assert response.json()["held"] is True
    comment = Comment.objects.get()
    assert comment.state == Comment.State.PENDING and not comment.is_public
