"""E-mails about comments: replies in a followed thread, moderation outcomes."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from community.comments import app_settings
from community.comments.models import Comment, ThreadFollow
from community.notifications import send, site_root, target_url

UNFOLLOW_SALT = "community.comments.unfollow"
#: The moderators' decisions the author hears of, and their e-mail.
MODERATION_OUTCOMES = {"approve": "approved", "reject": "rejected", "remove": "removed"}


def unfollow_token(follow):
    return signing.dumps({"f": follow.pk, "u": follow.user_id}, salt=UNFOLLOW_SALT)


def read_unfollow_token(token):
    """(follow id, user id) from a token; raises signing.BadSignature
    (signing.SignatureExpired after COMMUNITY_COMMENTS_UNFOLLOW_LINK_MAX_AGE)."""
    data = signing.loads(
        token, salt=UNFOLLOW_SALT, max_age=app_settings.UNFOLLOW_LINK_MAX_AGE
    )
    return int(data["f"]), int(data["u"])


@task()
def send_reply_notifications(comment_id):
    """Tell the thread's followers (but the author) about a published reply."""
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None or comment.state != Comment.State.PUBLISHED:
        return 0
    target = comment.content_object
    follows = (
        ThreadFollow.objects.filter(thread_id=comment.thread_id)
        .exclude(user_id=comment.user_id)
        .select_related("user")
    )
    sent = 0
    for follow in follows:
        if not follow.user.email or not follow.user.is_active:
            continue
        language = follow.language or settings.LANGUAGE_CODE
        with translation.override(language):
            unfollow_path = reverse(
                "community_comments:unfollow", args=[unfollow_token(follow)]
            )
        unfollow_url = site_root(target) + unfollow_path
        send(
            "community_comments/email/comment_reply",
            follow.user.email,
            language,
            {
                "comment": comment,
                "author": comment.author_name(),
                "target": target,
                "comment_url": target_url(target) + f"#c{comment.pk}",
                "unfollow_url": unfollow_url,
            },
            # One-click unsubscribe in the mail client (RFC 2369, RFC 8058).
            headers={
                "List-Unsubscribe": f"<{unfollow_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        sent += 1
    return sent


@task()
def send_moderation_outcome(comment_id, action, previous_state):
    """Tell the author that their comment was rejected (with the reason, in
    their language), removed, or published after being held. Spam is removed
    silently."""
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None or action == "spam":
        return False
    email = comment.user.email if comment.user_id else comment.user_email
    if not email:
        return False
    if action == "approve" and previous_state != Comment.State.PENDING:
        return False
    target = comment.content_object
    outcome = MODERATION_OUTCOMES.get(action)
    if outcome is None:
        return False
    send(
        f"community_comments/email/comment_{outcome}",
        email,
        comment.language,
        {
            "comment": comment,
            "target": target,
            "target_url": target_url(target),
            "comment_url": target_url(target) + f"#c{comment.pk}",
        },
    )
    return True


def notify_new_comment(comment):
    """After a comment is published: followers of its thread hear of it."""
    if comment.level > 0:
        send_reply_notifications.enqueue(comment.pk)


def notify_moderation_outcome(comment_id, action, previous_state):
    send_moderation_outcome.enqueue(comment_id, action, previous_state)
    if action == "approve" and previous_state == "pending":
        send_reply_notifications.enqueue(comment_id)
