"""Community → Posts in the Wagtail admin: the moderation queue of posts.

A snippet viewset (Wagtail's filters, search, export and bulk actions) whose
default view is the queue: posts held for a moderator and published posts
that visitors reported, each with its text and picture previews. Approve /
reject (with a reason the author reads) / remove are bulk actions, usable on
one post or many (made from `PostModerator.actions` by the moderation
toolkit). Posts are written by members, never created here.
"""

import django_filters
from django.apps import apps
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets import Button
from wagtail.snippets.views.snippets import SnippetViewSet

from community.moderation.admin import (
    HumanInspectView,
    LinkColumn,
    ModerationIndexView,
    ModerationQueueFilterSet,
    open_reports,
    queue_state_filter,
)
from community.posts.models import CommunityBoardPage, Post


class PostInspectView(HumanInspectView):
    """A post's review page, with "Publish to own media" (sharing's form for
    any shareable object) on a published post for editors who may send
    own-media posts."""

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        user = self.request.user
        if (
            apps.is_installed("sharing")
            and self.object.state == Post.State.PUBLISHED
            and user.has_perm("sharing.change_publishattempt")
        ):
            url = reverse(
                "sharing_publishing:publish_object", args=["post", self.object.pk]
            )
            buttons.append(
                Button(_("Publish to own media"), url=url, icon_name="upload")
            )
        return buttons


class PostFilterSet(ModerationQueueFilterSet):
    state = queue_state_filter(Post.State.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Post.Kind.choices)
    board = django_filters.ModelChoiceFilter(
        label=_("Board"), queryset=lambda request: CommunityBoardPage.objects.all()
    )
    reported = django_filters.BooleanFilter(
        label=_("Reported"), method="filter_reported"
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Post
        fields = []

    def filter_reported(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(report_count__gt=0)
            if value
            else queryset.filter(report_count=0)
        )


class PreviewColumn(Column):
    """Title, the start of the text and small previews of the pictures."""

    cell_template_name = "community_posts/admin/post_preview_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["post"] = instance
        context["images"] = list(instance.images.all())[:4]
        return context


def why(post):
    parts = [open_reports(post.reports.all()), post.hold_reasons, post.rejection_reason]
    return " · ".join(part for part in parts if part) or "—"


def post_url(post):
    return post.get_url()


class PostViewSet(SnippetViewSet):
    model = Post
    icon = "doc-full"
    menu_label = _("Posts")
    menu_name = "posts"
    url_prefix = "community/posts"
    filterset_class = PostFilterSet
    search_fields = ["title", "body"]
    search_backend_name = None
    ordering = ["-created_at"]
    list_per_page = 30
    index_view_class = ModerationIndexView
    index_template_name = "community/admin/moderation_index.html"
    inspect_view_enabled = True
    inspect_view_class = PostInspectView
    copy_view_enabled = False
    list_export = [
        "pk",
        "created_at",
        "kind",
        "state",
        "title",
        "body",
        "rating",
        "like_count",
        "comment_count",
        "view_count",
        "report_count",
    ]
    list_display = [
        PreviewColumn("title", label=pgettext_lazy("community post", "Post")),
        LinkColumn("board", label=_("Board"), accessor="board", get_url=post_url),
        Column("author", label=_("Author"), accessor="author_name"),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column(
            "state",
            label=pgettext_lazy("moderation", "State"),
            accessor="get_state_display",
        ),
        Column("why", label=_("Reports and reasons"), accessor=why),
        DateColumn("created_at", label=_("Created"), sort_key="created_at"),
    ]
    inspect_view_fields = [
        "title",
        "body",
        "kind",
        "state",
        "rating",
        "hold_reasons",
        "rejection_reason",
        "author",
        "created_at",
        "published_at",
        "like_count",
        "comment_count",
        "view_count",
        "report_count",
    ]

    def get_queryset(self, request):
        return Post.objects.select_related(
            "author__community_profile", "board"
        ).prefetch_related("reports", "images")
