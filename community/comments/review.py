"""What a moderator sees of a comment in the Wagtail admin, as plain
functions: the queue's row (the page, the comment it answers, the author with
their record) and the review page (the thread around the comment, its flags,
the author's history and suspension).

Each function costs a fixed number of queries, whatever the number of
replies, flags or comments of the author: lists are cut at a few items and
counted in the same or one more query; the queue's row figures are
subqueries of the listing's one query.
"""

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Substr

from community.comments.models import Comment, CommentFlagReport

#: How many replies, flags and items of the author's history a review page
#: lists (the counts say how many there are in all).
REPLIES_SHOWN = 20
FLAGS_SHOWN = 50
HISTORY_SHOWN = 5
#: Characters of the parent comment shown in the queue.
EXCERPT_LENGTH = 120


def _count(queryset):
    """A subquery counting the rows of `queryset` (filtered on OuterRef)."""
    counted = (
        queryset.order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def queue_annotations():
    """What each row of the queue shows besides the comment, computed by the
    listing's own query: the start of the comment it answers, how many
    comments its author wrote and how many flags those received."""
    parent = Comment.objects.filter(pk=OuterRef("parent_id")).exclude(pk=OuterRef("pk"))
    return {
        "parent_excerpt": Subquery(
            parent.annotate(excerpt=Substr("comment", 1, EXCERPT_LENGTH + 1)).values(
                "excerpt"
            )[:1]
        ),
        "author_comments": _count(Comment.objects.filter(user_id=OuterRef("user_id"))),
        "author_flags": _count(
            CommentFlagReport.objects.filter(comment__user_id=OuterRef("user_id"))
        ),
    }


def excerpt(text, length=EXCERPT_LENGTH):
    text = " ".join((text or "").split())
    return text[:length] + ("…" if len(text) > length else "")


def with_authors(queryset):
    return queryset.select_related("user__community_profile")


def parent_of(comment):
    """The comment `comment` answers, or None for a thread's first comment."""
    if not comment.parent_id or comment.parent_id == comment.pk:
        return None
    return with_authors(Comment.objects.filter(pk=comment.parent_id)).first()


def first_and_total(queryset, limit):
    """(the first `limit` rows of `queryset`, how many rows it has): one
    query, the total counted alongside by a window function."""
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[:limit])
    return rows, rows[0].total_rows if rows else 0


def replies_to(comment, limit=REPLIES_SHOWN):
    """(the first `limit` direct replies, oldest first; how many in all)."""
    replies = Comment.objects.filter(parent_id=comment.pk).exclude(pk=comment.pk)
    return first_and_total(with_authors(replies).order_by("submit_date", "pk"), limit)


def flags_of(comment, limit=FLAGS_SHOWN):
    """(the visitors' flags of `comment`, newest first; how many in all)."""
    flags = comment.flag_reports.select_related("user__community_profile")
    return first_and_total(flags.order_by("-created_at", "-pk"), limit)


def author_record(user):
    """How many comments `user` wrote in each state, and the flags those
    received (all, and not yet dealt with): one query each."""
    by_state = dict(
        Comment.objects.filter(user=user)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    flags = CommentFlagReport.objects.filter(comment__user=user).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(resolved_at__isnull=True))
    )
    states = [
        {"state": state, "label": label, "count": by_state.get(state, 0)}
        for state, label in Comment.State.choices
    ]
    return {
        "comments": sum(by_state.values()),
        "states": states,
        "summary": ", ".join(
            f"{row['label']} {row['count']}" for row in states if row["count"]
        ),
        "flags": flags["total"],
        "open_flags": flags["open"],
    }
