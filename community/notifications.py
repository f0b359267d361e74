"""E-mails about comments, sent from background tasks (django-tasks) in the
recipient's language, with a plain-text and an HTML part."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

UNFOLLOW_SALT = "community.comments.unfollow"


def unfollow_token(follow):
    return signing.dumps({"f": follow.pk, "u": follow.user_id}, salt=UNFOLLOW_SALT)


def read_unfollow_token(token):
    """(follow id, user id) from a token; raises signing.BadSignature."""
    data = signing.loads(token, salt=UNFOLLOW_SALT)
    return data["f"], data["u"]


def _site_root(target):
    try:
        return target.get_site().root_url
    except AttributeError:
        return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


def _target_url(target):
    url = getattr(target, "get_full_url", lambda: None)()
    return url or _site_root(target) + target.get_absolute_url()


def send(template, to, language, context):
    """Render `template`.txt/.html/_subject.txt in `language` and send them."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


@task()
def send_reply_notifications(comment_id):
    """Tell the thread's followers (but the author) about a published reply."""
    from community.models import Comment, ThreadFollow

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
                "community:comments_unfollow", args=[unfollow_token(follow)]
            )
        send(
            "community/email/comment_reply",
            follow.user.email,
            language,
            {
                "comment": comment,
                "author": comment.author_name(),
                "target": target,
                "comment_url": _target_url(target) + f"#c{comment.pk}",
                "unfollow_url": _site_root(target) + unfollow_path,
            },
        )
        sent += 1
    return sent


@task()
def send_moderation_outcome(comment_id, action, previous_state):
    """Tell the author that their comment was removed, or published after
    being held. Spam is removed silently."""
    from community.models import Comment

    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None or action == "spam":
        return False
    email = comment.user.email if comment.user_id else comment.user_email
    if not email:
        return False
    if action == "approve" and previous_state != Comment.State.PENDING:
        return False
    target = comment.content_object
    send(
        f"community/email/comment_{'removed' if action == 'remove' else 'approved'}",
        email,
        comment.language,
        {
            "comment": comment,
            "target": target,
            "target_url": _target_url(target),
            "comment_url": _target_url(target) + f"#c{comment.pk}",
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


# Posts on community boards


POST_OUTCOMES = {"approve": "approved", "reject": "rejected", "remove": "removed"}


@task()
def send_post_moderation_outcome(post_id, action, previous_state):
    """Tell the author that their post was published after being held,
    rejected (with the reason) or removed."""
    from community.models import Post

    post = Post.objects.select_related("author", "board").filter(pk=post_id).first()
    if post is None or post.author is None or not post.author.email:
        return False
    if action == "approve" and previous_state != Post.State.PENDING:
        return False
    board_url = post.board.get_full_url() or ""
    send(
        f"community/email/post_{POST_OUTCOMES[action]}",
        post.author.email,
        post.language,
        {
            "post": post,
            "post_url": board_url + post.board.reverse_subpage("post", args=[post.pk]),
            "board_url": board_url,
        },
    )
    return True


def notify_post_moderation(post_id, action, previous_state):
    send_post_moderation_outcome.enqueue(post_id, action, previous_state)
