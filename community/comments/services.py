"""Comments as plain functions: what the views, template tags and admin use.

The thread on a page is built from a constant number of queries whatever the
number of comments (top-level threads are paginated): one query counts the
comments and the threads, one loads a page of threads and one their replies;
whether the viewer liked, flagged or follows each comment comes with the same
rows (``EXISTS`` subqueries), and a page without comments stops after the
count. Permissions, action URLs and labels are worked out here in Python, once
per comment or once per page, without queries, instead of in the template per
comment as comments-xtd 2.10's tree does: a comment costs a few template
variables, not a dozen tags.
"""

import hashlib
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models, transaction
from django.db.models.functions import Cast
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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

#: What every comment's template says, translated once per page (a
#: ``{% translate %}`` per comment and label costs more than the rest of it).
LABELS = {
    "like": pgettext_lazy("verb", "Like"),
    "reply": _("Reply"),
    "follow": pgettext_lazy("thread", "Follow"),
    "following": pgettext_lazy("thread", "Following"),
    "edit": _("Edit"),
    "delete": _("Delete"),
    "report": pgettext_lazy("flag content", "Report"),
    "reported": pgettext_lazy("flag content", "Reported"),
    "edited": _("edited"),
    "official": _("Official"),
    "deleted_comment": _("Deleted comment"),
    "deleted_text": _("This comment was deleted."),
    "pending": _("Awaiting moderation: only you can see this"),
}

#: The member actions on a comment, as URL names of this app.
ACTIONS = ("like", "follow", "edit", "delete", "flag")


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


class CountedPaginator(Paginator):
    """A paginator told its count (worked out with other counts in one
    query) instead of counting again."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.count = count


@dataclass
class Node:
    """A comment as the viewer sees it. `cid` (the id as text), `datetime`
    (ISO 8601), `author` and the action URLs are ready to print: the template
    does no lookups, URL reversing or date formatting of its own for them."""

    comment: Comment
    children: list = field(default_factory=list)
    liked: bool = False
    flagged: bool = False
    following: bool = False
    can_reply: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_react: bool = False
    cid: str = ""
    datetime: str = ""
    author: str = ""
    urls: dict = field(default_factory=dict)
    #: The rendered comment_body.html and, for a thread, comment.html, when
    #: `render_threads` made them; `key` names the body in the cache.
    body: str = ""
    html: str = ""
    key: str = ""

    @property
    def pk(self):
        return self.comment.pk


def iso_datetime(value):
    """`value` as a `<time datetime>` wants it: local time, whole seconds."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds")


def comment_labels():
    """LABELS in the active language."""
    return {key: str(label) for key, label in LABELS.items()}


class ActionUrls:
    """The URLs of the member actions on comments: each reversed once, then
    filled in with a comment's id (reversing per comment and action is most
    of what a thread of 60 comments would cost in URL work)."""

    MARK = "987654321987654321"

    def __init__(self):
        self.patterns = {
            action: reverse(f"community_comments:{action}", args=[self.MARK])
            for action in ACTIONS
        }

    def get(self, action, cid):
        return self.patterns[action].replace(self.MARK, cid)


def visible_comments(target, user):
    return (
        Comment.objects.for_object(target)
        .filter(
            models.Q(is_public=True, state=Comment.State.PUBLISHED)
            | models.Q(state=Comment.State.PENDING, user_id=getattr(user, "pk", None))
        )
        .select_related("user__community_profile")
    )


def with_viewer_marks(comments, user):
    """`comments` with whether `user` liked, flagged and follows each one,
    in the same query (EXISTS on the (comment, member) unique indexes)."""
    if not user.is_authenticated:
        return comments
    return comments.annotate(
        viewer_liked=models.Exists(
            CommentReaction.objects.filter(comment=models.OuterRef("pk"), user=user)
        ),
        viewer_flagged=models.Exists(
            CommentFlagReport.objects.filter(comment=models.OuterRef("pk"), user=user)
        ),
        viewer_follows=models.Exists(
            ThreadFollow.objects.filter(thread=models.OuterRef("pk"), user=user)
        ),
    )


def viewer_marks(comments, user):
    """(liked, flagged, following): the ids among `comments` that `user`
    liked, flagged and follows. From the rows' annotations when they were
    loaded `with_viewer_marks`, else three queries."""
    if not user.is_authenticated or not comments:
        return set(), set(), set()
    if all(hasattr(comment, "viewer_liked") for comment in comments):
        return (
            {comment.pk for comment in comments if comment.viewer_liked},
            {comment.pk for comment in comments if comment.viewer_flagged},
            {comment.pk for comment in comments if comment.viewer_follows},
        )
    ids = [comment.pk for comment in comments]
    return (
        set(
            CommentReaction.objects.filter(user=user, comment_id__in=ids).values_list(
                "comment_id", flat=True
            )
        ),
        set(
            CommentFlagReport.objects.filter(user=user, comment_id__in=ids).values_list(
                "comment_id", flat=True
            )
        ),
        set(
            ThreadFollow.objects.filter(user=user, thread_id__in=ids).values_list(
                "thread_id", flat=True
            )
        ),
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
    liked, flagged, following = viewer_marks(comments, user)
    window = timezone.timedelta(seconds=app_settings.EDIT_WINDOW)
    urls = ActionUrls()
    nodes = {}
    for comment in comments:
        mine = user.is_authenticated and comment.user_id == user.pk
        alive = not comment.is_deleted and comment.state == Comment.State.PUBLISHED
        cid = str(comment.pk)
        node = Node(
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
            cid=cid,
            datetime=iso_datetime(comment.submit_date),
            author=str(comment.author_name()),
        )
        wanted = {
            "like": node.can_react,
            "follow": comment.level == 0 and rights["may_react"],
            "edit": node.can_edit,
            "delete": node.can_delete,
            "flag": node.can_react and not node.flagged,
        }
        node.urls = {
            action: urls.get(action, cid) for action in ACTIONS if wanted[action]
        }
        nodes[comment.pk] = node
    return nodes


# Rendering: each thread and comment once for every viewer who sees it the same

BODY_TEMPLATE = "community_comments/includes/comment_body.html"
THREAD_TEMPLATE = "community_comments/includes/comment.html"

#: What stands for the viewer's CSRF token in cached HTML.
CSRF_MARK = "csrf0mark0for0cached0comments"


def render_threads(request, threads, context, reply_to=0):
    """Fill in `html` of the `threads` (top-level nodes, with their replies)
    and `body` of their comments: comment.html and comment_body.html rendered
    with `context` (labels, rights, brand), from Django's cache when they were
    rendered before for the same data. A key names all that its HTML shows
    (each comment, its author and avatar, the viewer's rights and marks on
    it, the thread's shape, the language, time zone, labels and the
    templates' source), so a change makes a new entry and nothing is ever
    invalidated; entries expire after COMMUNITY_COMMENTS_CACHE_TIMEOUT. Most
    viewers share their entries (the forms differ only by the CSRF token, put
    in afterwards). A thread holding the reply form (`reply_to`) is rendered
    by the page as usual. No-op when the timeout is 0."""
    timeout = app_settings.CACHE_TIMEOUT
    if not timeout or not threads:
        return
    body_template = get_template(BODY_TEMPLATE)
    thread_template = get_template(THREAD_TEMPLATE)
    brand_logo = static(context["brand_logo"]) if context["brand_logo"] else ""
    shared = (
        hashlib.sha256(
            (body_template.template.source + thread_template.template.source).encode()
        ).hexdigest(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        tuple(sorted(context["labels"].items())),
        context["rights"]["may_react"],
        context["rights"]["may_post"],
        str(context["brand_name"]),
        brand_logo,
    )
    keys = [(thread_key(root, shared), root) for root in threads]
    cached = {
        key: root
        for key, root in keys
        if not any(node.pk == reply_to for node in walk(root))
    }
    found = cache.get_many(list(cached))
    for key, root in cached.items():
        root.html = found.get(key, "")
    missing = [root for root in threads if not root.html]
    render_bodies(
        [node for root in missing for node in walk(root)],
        body_template,
        context,
        timeout,
    )
    rendered = {}
    for key, root in cached.items():
        if not root.html:
            root.html = thread_template.render(
                {**context, "node": root, "reply_to": 0, "csrf_token": CSRF_MARK}
            )
            rendered[key] = root.html
    if rendered:
        cache.set_many(rendered, timeout)
    mark = format_html('name="csrfmiddlewaretoken" value="{}"', CSRF_MARK)
    token = None
    for root in threads:
        for node in [root, *walk(root)]:
            for name in ("html", "body"):
                html = getattr(node, name)
                if mark in html:
                    token = token or format_html(
                        'name="csrfmiddlewaretoken" value="{}"', get_token(request)
                    )
                    html = html.replace(mark, token)
                setattr(node, name, mark_safe(html))  # noqa: S308 (our templates)


def render_bodies(nodes, template, context, timeout):
    """Fill in `body` of `nodes`, from the cache or rendered."""
    keys = {node.key: node for node in nodes}
    found = cache.get_many(list(keys))
    rendered = {}
    for key, node in keys.items():
        node.body = found.get(key) or template.render(
            {**context, "node": node, "csrf_token": CSRF_MARK}
        )
        if key not in found:
            rendered[key] = node.body
    if rendered:
        cache.set_many(rendered, timeout)


def walk(node):
    """`node` and the replies below it, depth first."""
    yield node
    for child in node.children:
        yield from walk(child)


def thread_key(root, shared):
    """The cache key of the thread under `root`; sets each node's body key."""
    parts = []
    for node in walk(root):
        node.key = body_key(node, shared)
        parts.append((node.key, node.comment.parent_id, len(node.children)))
    digest = hashlib.sha256(repr((shared, parts)).encode()).hexdigest()[:40]
    return f"community_comments:thread:{digest}"


def body_key(node, shared):
    comment = node.comment
    profile = (
        getattr(comment.user, "community_profile", None) if comment.user_id else None
    )
    avatar = profile.avatar_small.name if profile and profile.avatar_small else ""
    data = (
        shared,
        comment.pk,
        comment.is_official,
        comment.state,
        comment.deleted_at,
        comment.edited_at,
        comment.submit_date,
        comment.comment_html,
        comment.like_count,
        comment.level,
        node.author,
        avatar,
        node.liked,
        node.flagged,
        node.following,
        node.can_reply,
        node.can_edit,
        node.can_delete,
        node.can_react,
        tuple(sorted(node.urls.items())),
    )
    digest = hashlib.sha256(repr(data).encode()).hexdigest()[:40]
    return f"community_comments:body:{digest}"


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
    # One query counts the comments and the threads (the paginator's count).
    counts = comments.order_by().aggregate(
        total=models.Count("pk"),
        threads=models.Count("pk", filter=models.Q(level=0)),
    )
    marked = with_viewer_marks(comments, user)
    roots_qs = marked.filter(level=0).order_by(*SORTS[sort])
    paginator = CountedPaginator(roots_qs, app_settings.PER_PAGE, counts["threads"])
    try:
        page = paginator.page(page_number or request.GET.get(PAGE_PARAM, 1))
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    roots = list(page.object_list) if counts["threads"] else []
    replies = []
    if roots:
        replies = list(
            marked.filter(
                thread_id__in=[root.thread_id for root in roots], level__gt=0
            ).order_by("thread_id", "order")
        )
    nodes = build_nodes(roots + replies, user, rights, max_level)
    for reply in replies:
        parent = nodes.get(reply.parent_id)
        if parent is not None:
            parent.children.append(nodes[reply.pk])
    shared = {
        "rights": rights,
        "labels": comment_labels(),
        "brand_name": community_settings.BRAND_NAME,
        "brand_logo": community_settings.BRAND_LOGO,
    }
    render_threads(
        request,
        [nodes[root.pk] for root in roots],
        shared,
        requested_reply_to(request),
    )
    return {
        **shared,
        "target": target,
        "target_url": target_url(target, request),
        "content_type_key": f"{content_type.app_label}.{content_type.model}",
        "content_type_id": content_type.pk,
        "threads": [nodes[root.pk] for root in roots],
        "page": page,
        "total": counts["total"],
        "sort": sort,
        "sorts": [(key, SORT_LABELS[key]) for key in SORTS],
        "page_param": PAGE_PARAM,
        "max_level": max_level,
        "max_length": app_settings.MAX_LENGTH,
    }


def comment_form_context(request, target):
    """The empty comment form (with comments-xtd's security fields) and what
    the form partial needs besides."""
    return {
        "form": CommentForm(target, user=request.user),
        "reply_to": requested_reply_to(request),
        "flag_reasons": CommentFlagReport.Reason.choices,
    }


def requested_reply_to(request):
    """The comment the visitor asked to reply to (?reply_to=), or 0."""
    reply_to = request.GET.get("reply_to", "")
    # ASCII digits only ("²".isdigit() is true), within a comment id's range.
    if reply_to.isascii() and reply_to.isdigit() and len(reply_to) <= 18:
        return int(reply_to)
    return 0


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
