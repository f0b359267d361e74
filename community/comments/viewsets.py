"""Community → Comments in the Wagtail admin: the moderation queue.

A snippet viewset (so the listing gets Wagtail's filters, search, export and
bulk actions) whose default view is the queue: comments held by a policy and
published comments that members flagged. Each row shows the page and the
comment it answers, and the author with their record; it opens the comment's
review page (`community.comments.admin_views`), where a moderator approves,
rejects with a reason, removes, marks as spam or suspends the author. The same
decisions are bulk actions (made from `CommentModerator.actions` by the
moderation toolkit); a member's history is the listing filtered on that
member. Comments are written by visitors, never created here.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.models import Page
from wagtail.snippets.views.snippets import SnippetViewSet

from community.comments import review
from community.comments.admin_views import CommentIndexView, CommentReviewView
from community.comments.models import Comment
from community.moderation.admin import (
    ALL,
    LinkColumn,
    ModerationQueueFilterSet,
    open_reports,
    queue_state_filter,
    queue_url,
)


def commented_targets():
    """Choices for the page filter: every object that has comments."""
    pairs = set(Comment.objects.order_by().values_list("content_type_id", "object_pk"))
    titles = {
        str(page.pk): page.title
        for page in Page.objects.filter(
            pk__in=[pk for _ct, pk in pairs if pk.isdigit()]
        ).only("title")
    }
    choices = [(f"{ct}:{pk}", titles.get(pk, f"#{pk}")) for ct, pk in sorted(pairs)]
    return sorted(choices, key=lambda choice: choice[1])


def commenters():
    return get_user_model().objects.filter(comment_comments__isnull=False).distinct()


class CommentFilterSet(ModerationQueueFilterSet):
    state = queue_state_filter(Comment.State.choices)
    target = django_filters.ChoiceFilter(
        label=_("Page"), choices=commented_targets, method="filter_target"
    )
    user = django_filters.ModelChoiceFilter(
        label=_("Member"), queryset=lambda request: commenters()
    )
    submit_date = django_filters.DateFromToRangeFilter(
        label=_("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Comment
        fields = []

    def filter_target(self, queryset, name, value):
        content_type_id, _sep, object_pk = value.partition(":")
        return queryset.filter(content_type_id=content_type_id, object_pk=object_pk)


def target_title(comment):
    target = comment.content_object
    return getattr(target, "title", None) or str(target or "—")


def target_url(comment):
    target = comment.content_object
    if target is None:
        return None
    url = target.get_url() if hasattr(target, "get_url") else None
    return (url + f"#c{comment.pk}") if url else None


def why(comment):
    parts = [open_reports(comment.flag_reports.all()), comment.hold_reasons]
    return " · ".join(part for part in parts if part) or "—"


def member_history_url(comment):
    if not comment.user_id:
        return None
    return queue_url(Comment) + f"?state={ALL}&user={comment.user_id}"


def author(comment):
    if comment.is_official:
        return _("%(name)s (official)") % {"name": comment.author_name()}
    return comment.author_name()


class ThreadColumn(LinkColumn):
    """The page (a link to it) and the start of the comment this one
    answers."""

    cell_template_name = "community_comments/admin/thread_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        parent = getattr(instance, "parent_excerpt", None)
        context["parent_excerpt"] = review.excerpt(parent) if parent else ""
        return context


class AuthorColumn(LinkColumn):
    """The author (a link to their comments), how many comments they wrote and
    flags those received, and whether they are suspended."""

    cell_template_name = "community_comments/admin/author_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        profile = None
        if instance.user_id:
            profile = getattr(instance.user, "community_profile", None)
        context.update(
            {
                "is_member": bool(instance.user_id),
                "comments": getattr(instance, "author_comments", 0),
                "flags": getattr(instance, "author_flags", 0),
                "suspended": bool(profile and profile.is_suspended),
            }
        )
        return context


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Comments")
    menu_name = "comments"
    url_prefix = "community/comments"
    filterset_class = CommentFilterSet
    index_view_class = CommentIndexView
    index_template_name = "community/admin/moderation_index.html"
    inspect_view_class = CommentReviewView
    inspect_template_name = CommentReviewView.template_name
    search_fields = ["comment", "user_name", "user_email"]
    ordering = ["-submit_date"]
    list_per_page = 50
    inspect_view_enabled = True
    copy_view_enabled = False
    list_export = [
        "pk",
        "submit_date",
        "state",
        "user_name",
        "comment",
        "like_count",
        "flag_count",
    ]
    list_display = [
        "__str__",
        ThreadColumn(
            "target", label=_("Page"), accessor=target_title, get_url=target_url
        ),
        AuthorColumn(
            "author",
            label=_("Author"),
            accessor=author,
            get_url=member_history_url,
        ),
        Column(
            "state",
            label=pgettext_lazy("moderation", "State"),
            accessor="get_state_display",
        ),
        Column("why", label=_("Flags and reasons"), accessor=why),
        DateColumn(
            "submit_date",
            label=_("Posted"),
            sort_key="submit_date",
            # Whole seconds: HTML's <time datetime> takes three digits at most.
            accessor=lambda comment: comment.submit_date.replace(microsecond=0),
        ),
    ]
    inspect_view_fields = [
        "comment",
        "state",
        "hold_reasons",
        "user_name",
        "user_email",
        "ip_address",
        "submit_date",
        "edited_at",
        "is_official",
        "like_count",
        "flag_count",
    ]

    def get_queryset(self, request):
        return (
            Comment.objects.select_related("user__community_profile", "content_type")
            .prefetch_related("flag_reports", "content_object")
            .annotate(**review.queue_annotations())
        )
