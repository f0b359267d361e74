"""What the comments app holds about a member, for "Download my data" and
"Delete my account" (registered in the app's `ready()`).

A comment keeps personal data in comments-xtd's and django-comments' tables
too (the parents of `Comment`): the user, the name, e-mail address and URL
given with it, the IP address it came from, and comments-xtd's follow-up
flag. What the member did to others' comments lives in the companion
models (likes, flags, thread follows) and in django-comments' own flags.
"""

from django.db import models, transaction
from django.db.models.functions import Greatest
from django_comments.models import CommentFlag

from community import privacy
from community.comments import invalidation
from community.comments.models import (
    Comment,
    CommentFlagReport,
    CommentReaction,
    ThreadFollow,
)
from community.comments.services import delete_comment
from community.notifications import target_url
from community.privacy import iso

#: What an anonymised comment keeps of its author: nothing.
ANONYMOUS = {
    "user": None,
    "user_name": "",
    "user_email": "",
    "user_url": "",
    "ip_address": None,
    "followup": False,
}


def member_comments(user):
    """The member's comments: posted signed in, or before they had an
    account, with their address (comments-xtd's confirmed comments)."""
    mine = models.Q(user=user)
    if user.email:
        mine |= models.Q(user__isnull=True, user_email__iexact=user.email)
    return Comment.objects.filter(mine)


def describe(obj):
    """The title and full URL of what a comment is about (None when gone)."""
    if obj is None:
        return {"title": None, "url": None}
    try:
        url = target_url(obj)
    except (AttributeError, TypeError, ValueError):
        url = None
    return {"title": str(getattr(obj, "title", obj)), "url": url}


class CommentsData(privacy.Section):
    """The member's comments, and their likes, flags and thread follows."""

    name = "comments"

    def export(self, user):
        comments = member_comments(user).prefetch_related("content_object")
        return {
            "comments": [
                {
                    "id": comment.pk,
                    "on": describe(comment.content_object),
                    "reply_to": comment.parent_id
                    if comment.parent_id != comment.pk
                    else None,
                    "text": comment.comment,
                    "state": comment.state,
                    "official": comment.is_official,
                    "name": comment.user_name,
                    "email": comment.user_email,
                    "ip_address": comment.ip_address,
                    "language": comment.language,
                    "submitted_at": iso(comment.submit_date),
                    "edited_at": iso(comment.edited_at),
                    "deleted_at": iso(comment.deleted_at),
                }
                for comment in comments.order_by("pk")
            ],
            "likes": [
                {"comment": reaction.comment_id, "created_at": iso(reaction.created_at)}
                for reaction in CommentReaction.objects.filter(user=user).order_by("pk")
            ],
            "flags": [
                {
                    "comment": report.comment_id,
                    "reason": report.reason,
                    "note": report.note,
                    "created_at": iso(report.created_at),
                    "resolved_at": iso(report.resolved_at),
                }
                for report in CommentFlagReport.objects.filter(user=user).order_by("pk")
            ],
            "follows": [
                {
                    "thread": follow.thread_id,
                    "language": follow.language,
                    "created_at": iso(follow.created_at),
                }
                for follow in ThreadFollow.objects.filter(user=user).order_by("pk")
            ],
        }

    def erase(self, user, mode):
        """Likes, flags and follows go (the counters they moved move back);
        the comments are anonymised or, with "remove", deleted: one with
        others' replies stays as a "deleted" placeholder, without author."""
        with transaction.atomic():
            liked = CommentReaction.objects.filter(user=user)
            Comment.objects.filter(pk__in=liked.values("comment_id")).update(
                like_count=Greatest(models.F("like_count") - 1, 0)
            )
            liked.delete()
            # flag_count counts open flags (an approval sets it back to 0).
            flagged = CommentFlagReport.objects.filter(user=user)
            Comment.objects.filter(
                pk__in=flagged.filter(resolved_at__isnull=True).values("comment_id")
            ).update(flag_count=Greatest(models.F("flag_count") - 1, 0))
            flagged.delete()
            ThreadFollow.objects.filter(user=user).delete()
            CommentFlag.objects.filter(user=user).delete()
            comments = member_comments(user)
            if mode == "remove":
                # Deepest first: the member's replies to their own comments go
                # before the comments, which then need no placeholder.
                for comment in comments.order_by("-level", "-pk"):
                    delete_comment(comment)
            # What stays (every comment, or the placeholders) names nobody.
            invalidation.invalidate_targets(comments)
            comments.update(**ANONYMOUS)
        return []
