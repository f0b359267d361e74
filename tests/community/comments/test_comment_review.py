"""The review page of a comment in the Wagtail admin (issue 19, item 12): the
queue's rows open it; it shows the thread, the flags and the author's record,
history and suspension; the moderator approves, rejects with a reason,
removes, marks as spam or suspends the author there; the bulk bar speaks of
comments."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import ModelLogEntry, Site

from community.comments.models import CommentFlagReport
from community.models import Profile
from community.moderation import log_action_name
from community.posts.models import CommunityBoardPage
from tests.factories import CommentFactory, MemberFactory, PostFactory, UserFactory
from tests.testapp.models import Testimonial

QUEUE = "/admin/community/comments/"


def review_url(comment):
    return f"{QUEUE}inspect/{comment.pk}/"


@pytest.fixture
def moderator(db):
    """Staff who moderate comments and suspend members."""
    group = Group.objects.create(name="Review moderators")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "change_comment", "delete_comment"],
            content_type__app_label__in=["wagtailadmin", "community_comments"],
        ),
        Permission.objects.get(
            codename="change_profile", content_type__app_label="community"
        ),
    )
    user = MemberFactory(username="reviewer", is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def author(db):
    return MemberFactory(username="leafy")


@pytest.fixture
def held(page, author):
    return CommentFactory(
        content_object=page,
        user=author,
        state="pending",
        comment="Buy **cheap** tea at my shop",
        hold_reasons="too many links",
    )


def post_action(client, comment, action, **data):
    return client.post(review_url(comment), {"action": action, **data})


def text_of(response):
    return " ".join(response.content.decode().split())


# The queue


def test_a_queued_row_opens_the_review_page_with_context(
    moderator_client, page, author
):
    root = CommentFactory(content_object=page, comment="Is 95 °C too hot for oolong?")
    reply = CommentFactory(
        content_object=page,
        user=author,
        parent_id=root.pk,
        state="pending",
        comment="No, it is just right",
    )
    CommentFactory(content_object=page, user=author)
    CommentFlagReport.objects.create(comment=reply, user=MemberFactory(), reason="spam")
    Profile.for_user(author).suspend("Rude", until=None)
    html = text_of(moderator_client.get(QUEUE))
    assert f'href="{review_url(reply)}"' in html
    assert f"/edit/{reply.pk}/" not in html.split("snippet_")[0]
    assert page.title in html
    assert "In reply to “Is 95 °C too hot for oolong?”" in html
    assert "2 comments · 1 flag" in html
    assert "Suspended" in html


def shown(html):
    """The page without Wagtail's own configuration (which lists the words
    of every kind of bulk bar) and without ids and paths."""
    html = re.sub(r'<script id="wagtail-config".*?</script>', "", html, flags=re.S)
    return re.sub(r"(snippet_\d+_title|wagtailsnippets)", "", html)


def test_the_bulk_bar_speaks_of_comments_not_snippets(moderator_client, held):
    html = moderator_client.get(QUEUE).content.decode()
    assert "snippet" not in shown(html)
    assert "Select all comments in listing" in html
    strings = re.search(
        r'<script id="community-bulk-strings" type="application/json">(.*?)</script>',
        html,
    ).group(1)
    assert '"PLURAL": "%(objects)s comments selected"' in strings
    assert 'data-bulk-action-footer="MODERATED_community_comments.comment"' in html
    assert 'data-item-type="MODERATED_community_comments.comment"' in html
    with translation.override("zh-hans"):
        chinese = moderator_client.get(
            QUEUE, headers={"accept-language": "zh-hans"}
        ).content.decode()
    assert "snippet" not in shown(chinese)


# The review page


def test_the_review_page_shows_thread_flags_and_the_authors_history(
    moderator_client, page, author
):
    root = CommentFactory(content_object=page, comment="Which water for green tea?")
    comment = CommentFactory(
        content_object=page,
        user=author,
        parent_id=root.pk,
        comment="Soft spring water, never boiling",
        flag_count=1,
    )
    CommentFactory(content_object=page, parent_id=comment.pk, comment="Thanks a lot")
    CommentFactory(content_object=page, user=author, comment="An older remark")
    CommentFactory(content_object=page, user=author, state="spam", comment="Spammy")
    CommentFlagReport.objects.create(
        comment=comment, user=MemberFactory(), reason="abuse", note="rude to me"
    )
    board = CommunityBoardPage(title="Stories", slug="stories-review")
    Site.objects.get(is_default_site=True).root_page.add_child(instance=board)
    PostFactory(board=board, author=author, title="My tea garden")
    Profile.for_user(author).suspend("Spamming", until=None)
    response = moderator_client.get(review_url(comment))
    assert response.status_code == 200
    html = text_of(response)
    assert "Soft spring water, never boiling" in html
    assert "Which water for green tea?" in html  # the parent
    assert "Thanks a lot" in html and "1 reply" in html  # the replies
    assert page.title in html and page.url in html  # the page
    assert "Harassment or hate" in html and "rude to me" in html  # the flags
    assert "An older remark" in html  # the author's other comments
    assert "Published 2, Spam 1" in html and "3 comments in all" in html
    assert "My tea garden" in html  # their posts, through the registry
    assert "Suspended until a moderator lifts it." in html and "Spamming" in html
    # A suspended author is not offered a second suspension.
    assert 'value="suspend_author"' not in html


def test_a_thread_start_and_a_visitor_without_account(moderator_client, page):
    comment = CommentFactory(
        content_object=page,
        user=None,
        user_name="Guest",
        user_email="guest@example.com",
        comment="Lovely",
    )
    html = text_of(moderator_client.get(review_url(comment)))
    assert "This comment starts a thread." in html and "No replies yet." in html
    assert "a visitor without an account" in html
    assert 'value="suspend_author"' not in html


def test_the_review_page_costs_the_same_whatever_the_thread_and_history(
    moderator_client, page, author
):
    def queries(comment):
        with CaptureQueriesContext(connection) as captured:
            assert moderator_client.get(review_url(comment)).status_code == 200
        # The sharing settings' snapshot is rebuilt whenever anything retires
        # it (an image or a site saved, by the factories too): not about the
        # review page.
        return [q["sql"] for q in captured if '"sharing_' not in q["sql"]]

    small = CommentFactory(content_object=page, user=author)
    CommentFactory(content_object=page, parent_id=small.pk)
    CommentFlagReport.objects.create(comment=small, user=MemberFactory(), reason="spam")
    queries(small)  # warm the caches (site root paths, content types)
    few = queries(small)

    other = MemberFactory()
    big = CommentFactory(content_object=page, user=other)
    for _n in range(25):
        reply = CommentFactory(content_object=page, parent_id=big.pk)
        CommentFlagReport.objects.create(
            comment=big, user=reply.user, reason="off_topic"
        )
        CommentFactory(content_object=page, user=other)
    many = queries(big)
    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= 40


def test_a_number_that_is_no_comment_is_not_found(moderator_client):
    for pk in ("abc", "99999999", "%C2%B2"):
        response = moderator_client.get(f"{QUEUE}inspect/{pk}/", follow=True)
        assert response.status_code == 404


# The decisions


def test_approve_publishes_resolves_flags_logs_and_returns_to_the_queue(
    moderator_client, moderator, held, django_capture_on_commit_callbacks
):
    CommentFlagReport.objects.create(comment=held, user=MemberFactory(), reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(moderator_client, held, "approve")
    assert response.status_code == 302 and response.url == QUEUE
    held.refresh_from_db()
    assert held.state == "published" and held.is_public
    assert not CommentFlagReport.objects.filter(
        comment=held, resolved_at__isnull=True
    ).exists()
    assert [m.to for m in mail.outbox] == [[held.user.email]]
    entry = ModelLogEntry.objects.for_instance(held).get(
        action=log_action_name("approve")
    )
    assert entry.user_id == moderator.pk
    page = moderator_client.get(response.url).content.decode()
    assert "1 comment approved." in page
    # Again: nothing more happens, nobody is told twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_action(moderator_client, held, "approve")
    assert mail.outbox == []
    assert ModelLogEntry.objects.for_instance(held).count() == 1


@pytest.mark.parametrize(
    ("action", "state", "mails"), [("remove", "removed", 1), ("spam", "spam", 0)]
)
def test_remove_and_spam(
    moderator_client, held, action, state, mails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(moderator_client, held, action)
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == state and held.is_removed and not held.is_public
    assert len(mail.outbox) == mails


def test_reject_stores_the_reason_and_mails_it_in_the_authors_language(
    moderator_client, held, django_capture_on_commit_callbacks
):
    held.language = "zh-hans"
    held.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(
            moderator_client,
            held,
            "reject",
            **{"reject-template": "spam", "reject-reason": "  No shop links.  "},
        )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == "rejected" and not held.is_public
    assert (held.rejection_template, held.rejection_reason) == (
        "spam",
        "No shop links.",
    )
    with translation.override("zh-hans"):
        expected = held.rejection_message
    assert "No shop links." in expected
    (message,) = mail.outbox
    assert message.to == [held.user.email]
    assert expected in message.body
    # The page shows the reason to the moderators.
    html = text_of(moderator_client.get(review_url(held)))
    assert "No shop links." in html and "Rejected" in html
    # Approving later clears it.
    post_action(moderator_client, held, "approve")
    held.refresh_from_db()
    assert held.rejection_reason == "" and held.rejection_template == ""


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Tell the author why their comment is rejected."),
        ("   ", "Tell the author why their comment is rejected."),
        ("bad\x00byte", "Null characters are not allowed."),
        ("x" * 10_000, "Ensure this value has at most 1000 characters"),
    ],
    ids=["empty", "blank", "nul", "10k"],
)
def test_a_hostile_or_missing_reason_is_a_form_error(
    moderator_client, held, reason, error
):
    response = post_action(
        moderator_client,
        held,
        "reject",
        **{"reject-template": "", "reject-reason": reason},
    )
    assert response.status_code == 200
    html = text_of(response)
    assert error in html and "The decision could not be made." in html
    held.refresh_from_db()
    assert held.state == "pending"


def test_an_unknown_reason_template_is_a_form_error(moderator_client, held):
    response = post_action(
        moderator_client, held, "reject", **{"reject-template": "\x00nope"}
    )
    assert response.status_code == 200
    held.refresh_from_db()
    assert held.state == "pending"


def test_an_unknown_action_is_not_found(moderator_client, held):
    assert post_action(moderator_client, held, "publish_all").status_code == 400


def test_suspend_the_author_from_the_review_page(
    moderator_client, held, author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(
            moderator_client,
            held,
            "suspend_author",
            **{
                "suspend-duration": "7",
                "suspend-template": "spam",
                "suspend-reason": "Shop links",
            },
        )
    assert response.status_code == 302 and response.url == QUEUE
    profile = Profile.objects.get(user=author)
    assert profile.is_suspended and profile.suspended_until is not None
    assert (profile.suspension_template, profile.suspension_reason) == (
        "spam",
        "Shop links",
    )
    assert [m.to for m in mail.outbox] == [[author.email]]
    assert ModelLogEntry.objects.for_instance(profile).filter(
        action=log_action_name("suspend")
    )
    # Twice: no second suspension, no second e-mail.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_action(
            moderator_client,
            held,
            "suspend_author",
            **{"suspend-duration": "0", "suspend-reason": "Again"},
        )
    profile.refresh_from_db()
    assert profile.suspension_reason == "Shop links" and mail.outbox == []


@pytest.mark.parametrize(
    "data",
    [
        {"suspend-duration": "7"},
        {"suspend-duration": "99999999999999999999", "suspend-reason": "x"},
        {"suspend-duration": "7", "suspend-reason": "a\x00b"},
        {"suspend-duration": "7", "suspend-reason": "y" * 10_000},
    ],
    ids=["no-reason", "huge-number", "nul", "10k"],
)
def test_a_bad_suspension_is_a_form_error(moderator_client, held, author, data):
    response = post_action(moderator_client, held, "suspend_author", **data)
    assert response.status_code == 200
    assert not Profile.for_user(author).is_suspended


def test_next_never_leaves_the_site(moderator_client, held):
    response = post_action(moderator_client, held, "spam", next="https://evil.example/")
    assert response.url == QUEUE
    other = CommentFactory(content_object=held.content_object, state="pending")
    response = post_action(moderator_client, other, "spam", next=f"{QUEUE}?state=all")
    assert response.url == f"{QUEUE}?state=all"


# Who may


def test_members_and_editors_without_the_permission_cannot_review_or_decide(
    client, held
):
    client.force_login(MemberFactory())
    assert client.get(review_url(held)).status_code == 302
    assert post_action(client, held, "approve").status_code == 302
    editor = UserFactory(is_staff=True)
    editor.save()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(review_url(held)).status_code in (302, 403)
    assert post_action(client, held, "approve").status_code in (302, 403)
    held.refresh_from_db()
    assert held.state == "pending"


def test_a_reader_sees_the_page_but_cannot_decide(client, held, author):
    reader = UserFactory(is_staff=True)
    reader.save()
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(
            codename="view_comment", content_type__app_label="community_comments"
        ),
    )
    client.force_login(reader)
    html = text_of(client.get(review_url(held)))
    assert "You may read this comment but not moderate it." in html
    assert 'value="approve"' not in html
    # Wagtail answers a refusal in the admin with a redirect and a message.
    assert post_action(client, held, "approve").status_code in (302, 403)
    data = {"suspend-duration": "7", "suspend-reason": "x"}
    response = post_action(client, held, "suspend_author", **data)
    assert response.status_code in (302, 403)
    held.refresh_from_db()
    assert held.state == "pending"
    assert not Profile.for_user(author).is_suspended


def test_moderators_without_member_rights_are_not_offered_a_suspension(
    client, held, author
):
    group = Group.objects.create(name="Comment-only moderators")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "change_comment"],
            content_type__app_label__in=["wagtailadmin", "community_comments"],
        )
    )
    user = MemberFactory(is_staff=True)
    user.groups.add(group)
    client.force_login(user)
    html = client.get(review_url(held)).content.decode()
    assert 'value="approve"' in html and 'value="suspend_author"' not in html
    data = {"suspend-duration": "7", "suspend-reason": "x"}
    response = post_action(client, held, "suspend_author", **data)
    assert response.status_code in (302, 403)
    assert not Profile.for_user(author).is_suspended


def test_the_review_page_in_chinese(moderator_client, held):
    response = moderator_client.get(
        review_url(held), headers={"accept-language": "zh-hans"}
    )
    assert response.status_code == 200


def test_bulk_reject_asks_for_the_reason(
    moderator_client, held, django_capture_on_commit_callbacks
):
    url = f"/admin/bulk/community_comments/comment/reject_comments/?id={held.pk}"
    page = moderator_client.get(url).content.decode()
    assert "Their authors get an e-mail with your reason." in page
    assert 'name="reason"' in page and 'name="template"' in page
    response = moderator_client.post(url, {"template": "", "reason": "a\x00b"})
    assert response.status_code == 200
    held.refresh_from_db()
    assert held.state == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(url, {"template": "off_topic", "reason": ""})
    held.refresh_from_db()
    assert (held.state, held.rejection_template) == ("rejected", "off_topic")
    assert "not about this page" in mail.outbox[0].body


def test_any_moderated_models_queue_names_its_items(client):
    Testimonial.objects.create(text="Held back for a look")
    chief = UserFactory(username="testimonial-chief", is_superuser=True, is_staff=True)
    chief.save()
    client.force_login(chief)
    response = client.get("/admin/community/moderation/testapp/testimonial/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select all testimonials in listing" in html
    assert "%(objects)s testimonials selected" in html
    assert 'aria-label="Delete selected testimonials"' in html
