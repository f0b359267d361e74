"""Comments as plain functions: what the views, template tags and admin use.

The thread on a page is built from a constant number of queries whatever the
number of comments (top-level threads are paginated): one count and one page
of threads, one query for their replies, one each for the viewer's likes,
flags and follows. Permissions are worked out here in Python, once per
comment, without queries, instead of in the template per comment as
comments-xtd 2.10's tree does.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import max_thread_level_for_content_type

from community import app_settings as community_settings
from community import tallies
from community.adapter import get_adapter
from community.comments import app_settings
from community.comments.forms import CommentForm
from community.comments.models import (
    Comment,
    CommentFlagReport,
    CommentReaction,
    CommentsMixin,
    ThreadFollow,
)

SORTS = {
    "newest": ("-submit_date", "-pk"),
    "oldest": ("submit_date", "pk"),
    "liked": ("-like_count", "-submit_date", "-pk"),
}
SORT_LABELS = {
    "newest": _("Newest"),
    "oldest": _("Oldest"),
    "liked": _("Most liked"),
}
DEFAULT_SORT = "newest"
PAGE_PARAM = "comments_page"


# Targets


def resolve_target(content_type, object_pk):
    """The object a comment form names ("app_label.model" and pk), or None
    when it does not exist or does not take comments."""
    try:
        app_label, model_name = str(content_type).split(".", 1)
        model = apps.get_model(app_label, model_name)
    except (ValueError, LookupError):
        return None
    if not issubclass(model, CommentsMixin):
        return None
    try:
        queryset = model._default_manager.all()
        if hasattr(queryset, "live"):
            queryset = queryset.live()
        return queryset.filter(pk=object_pk).first()
    except (ValueError, TypeError, ValidationError):
        return None


def target_url(target, request=None):
    if hasattr(target, "get_url"):
        return target.get_url(request) or "/"
    return target.get_absolute_url()


def comments_closed_reason(target):
    """None when the target takes new comments, else why not."""
    if not getattr(target, "show_comments", True) or not getattr(
        target, "allow_comments", True
    ):
        return _("Comments are closed here.")
    return None


def annotate_comment_counts(queryset):
    """Adds `comment_count` (published comments) to each object of a
    queryset of commentable objects, in the same query."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    counts = (
        Comment.objects.order_by()
        .filter(
            content_type=content_type,
            object_pk=Cast(models.OuterRef("pk"), models.CharField()),
            state=Comment.State.PUBLISHED,
            is_public=True,
            deleted_at__isnull=True,
        )
        .values("object_pk")
        .annotate(count=models.Count("pk"))
        .values("count")
    )
    return queryset.annotate(
        comment_count=models.functions.Coalesce(
            models.Subquery(counts, output_field=models.IntegerField()), 0
        )
    )


# Reading: the thread shown on a page


@dataclass
class Node:
    comment: Comment
    children: list = field(default_factory=list)
    liked: bool = False
    flagged: bool = False
    following: bool = False
    can_reply: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_react: bool = False

    @property
    def pk(self):
        return self.comment.pk


def visible_comments(target, user):
    return (
        Comment.objects.for_object(target)
        .filter(
            models.Q(is_public=True, state=Comment.State.PUBLISHED)
            | models.Q(state=Comment.State.PENDING, user_id=getattr(user, "pk", None))
        )
        .select_related("user__community_profile")
    )


def viewer_rights(user, target):
    """What the viewer may do on this target, worked out once."""
    closed = comments_closed_reason(target)
    denied = get_adapter().participation_denied(user)
    anonymous_allowed = app_settings.ALLOW_ANONYMOUS and not user.is_authenticated
    return {
        "closed": closed,
        "denied": denied,
        "may_post": closed is None and (denied is None or anonymous_allowed),
        "may_react": closed is None and denied is None,
        "is_member": user.is_authenticated,
    }


def build_nodes(comments, user, rights, max_level, now=None):
    """Node objects for `comments`, with the viewer's rights on each."""
    now = now or timezone.now()
    ids = [comment.pk for comment in comments]
    liked = flagged = following = set()
    if user.is_authenticated and ids:
        liked = set(
            CommentReaction.objects.filter(user=user, comment_id__in=ids).values_list(
                "comment_id", flat=True
            )
        )
        flagged = set(
            CommentFlagReport.objects.filter(user=user, comment_id__in=ids).values_list(
                "comment_id", flat=True
            )
        )
        following = set(
            ThreadFollow.objects.filter(user=user, thread_id__in=ids).values_list(
                "thread_id", flat=True
            )
        )
    window = timezone.timedelta(seconds=app_settings.EDIT_WINDOW)
    nodes = {}
    for comment in comments:
        mine = user.is_authenticated and comment.user_id == user.pk
        alive = not comment.is_deleted and comment.state == Comment.State.PUBLISHED
        nodes[comment.pk] = Node(
            comment=comment,
            liked=comment.pk in liked,
            flagged=comment.pk in flagged,
            following=comment.pk in following,
            can_reply=rights["may_post"] and alive and comment.level < max_level,
            can_edit=mine
            and not comment.is_deleted
            and rights["denied"] is None
            and now - comment.submit_date <= window,
            can_delete=mine and not comment.is_deleted,
            can_react=rights["may_react"] and alive and not mine,
        )
    return nodes


def comment_thread(request, target, *, sort=None, page_number=None):
    """The context that renders the comments of `target` for this request."""
    user = request.user
    sort = sort if sort in SORTS else request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    rights = viewer_rights(user, target)
    content_type = ContentType.objects.get_for_model(target)
    max_level = max_thread_level_for_content_type(content_type)
    comments = visible_comments(target, user)
    roots_qs = comments.filter(level=0).order_by(*SORTS[sort])
    paginator = Paginator(roots_qs, app_settings.PER_PAGE)
    try:
        page = paginator.page(page_number or request.GET.get(PAGE_PARAM, 1))
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    roots = list(page.object_list)
    replies = []
    if roots:
        replies = list(
            comments.filter(
                thread_id__in=[root.thread_id for root in roots], level__gt=0
            ).order_by("thread_id", "order")
        )
    nodes = build_nodes(roots + replies, user, rights, max_level)
    for reply in replies:
        parent = nodes.get(reply.parent_id)
        if parent is not None:
            parent.children.append(nodes[reply.pk])
    return {
        "target": target,
        "target_url": target_url(target, request),
        "content_type_key": f"{content_type.app_label}.{content_type.model}",
        "content_type_id": content_type.pk,
        "threads": [nodes[root.pk] for root in roots],
        "page": page,
        "total": comments.order_by().count(),
        "sort": sort,
        "sorts": [(key, SORT_LABELS[key]) for key in SORTS],
        "page_param": PAGE_PARAM,
        "rights": rights,
        "max_level": max_level,
        "max_length": app_settings.MAX_LENGTH,
        "brand_name": community_settings.BRAND_NAME,
        "brand_logo": community_settings.BRAND_LOGO,
    }


def comment_form_context(request, target):
    """The empty comment form (with comments-xtd's security fields) and what
    the form partial needs besides."""
    reply_to = request.GET.get("reply_to", "")
    return {
        "form": CommentForm(target, user=request.user),
        # ASCII digits only ("²".isdigit() is true), within a comment id's range.
        "reply_to": int(reply_to)
        if reply_to.isascii() and reply_to.isdigit() and len(reply_to) <= 18
        else 0,
        "flag_reasons": CommentFlagReport.Reason.choices,
    }


# Writing: what members do


def toggle_like(user, comment):
    """Like or unlike; returns (liked, like_count). Atomic, once per member."""
    return tallies.toggle(
        CommentReaction, comment, "like_count", comment=comment, user=user
    )


def flag_comment(user, comment, reason, note=""):
    """Report a comment once; returns False when this member already did."""
    return tallies.add_once(
        CommentFlagReport,
        comment,
        "flag_count",
        comment=comment,
        user=user,
        reason=reason,
        note=note,
    )


def toggle_follow(user, thread, language=""):
    """Follow or stop following a thread; returns whether now following."""
    deleted, _rows = ThreadFollow.objects.filter(thread=thread, user=user).delete()
    if deleted:
        return False
    ThreadFollow.objects.get_or_create(
        thread=thread, user=user, defaults={"language": language}
    )
    return True


def delete_comment(comment):
    """Delete a member's own comment. With replies, a placeholder stays so the
    thread survives; without, the comment goes."""
    with transaction.atomic():
        has_replies = (
            Comment.objects.filter(parent_id=comment.pk).exclude(pk=comment.pk).exists()
        )
        if has_replies:
            comment.deleted_at = timezone.now()
            comment.comment = ""
            comment.comment_html = ""
            comment.save()
            return "placeholder"
        parent_id = comment.parent_id
        ancestors = []
        while parent_id and parent_id != comment.pk and parent_id not in ancestors:
            ancestors.append(parent_id)
            parent = Comment.norel_objects.filter(pk=parent_id).first()
            if parent is None or parent.parent_id == parent.pk:
                break
            parent_id = parent.parent_id
        comment.delete()
        Comment.norel_objects.filter(pk__in=ancestors, nested_count__gt=0).update(
            nested_count=models.F("nested_count") - 1
        )
        return "deleted"
