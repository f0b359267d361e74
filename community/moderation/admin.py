"""The moderation toolkit's admin parts, shared by every moderated model:
the queue's state filter and filter set, link columns, the permission policy
(moderators change and delete, nobody adds) and the bulk action base."""

import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import SnippetViewSet

from community import moderation

QUEUE = "queue"
ALL = "all"


def queue_state_filter(states):
    """The "State" filter of a moderation queue: needs review (the default),
    all, or one of the model's `states`."""
    return django_filters.ChoiceFilter(
        label=_("State"),
        choices=[(QUEUE, _("Needs review")), (ALL, _("All"))] + states,
        empty_label=_("Needs review"),
        method="filter_state",
    )


class ModerationQueueFilterSet(WagtailFilterSet):
    """Filters of a listing whose default view is the queue (the model's
    `needs_review()`); declare `state = queue_state_filter(...)`."""

    def filter_state(self, queryset, name, value):
        if value == ALL:
            return queryset
        if value == QUEUE:
            return queryset.needs_review()
        return queryset.filter(state=value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.needs_review()
        return queryset


class LinkColumn(Column):
    cell_template_name = "community/admin/link_cell.html"

    def __init__(self, name, get_url, **kwargs):
        super().__init__(name, **kwargs)
        self.get_url = get_url

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = self.get_value(instance)
        context["link"] = self.get_url(instance)
        return context


def open_reports(reports):
    """The reasons (and notes) of the visitors' reports not yet dealt with."""
    return "; ".join(
        f"{r.get_reason_display()}{': ' + r.note if r.note else ''}"
        for r in reports
        if r.resolved_at is None
    )


class ModerationPermissionPolicy(ModelPermissionPolicy):
    """Moderators change and delete what visitors wrote; nobody creates it
    in the admin."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(
            user, [action for action in actions if action != "add"]
        )


class ModerationBulkAction(SnippetBulkAction):
    """A moderation decision on the selected items (comments or posts): the
    moderator needs "change" permission on each, confirms a question (and
    fills the action's form, if it has fields), and the decision runs as the
    moderator."""

    template_name = "community/admin/confirm_moderation.html"
    moderation_action = None
    question = ""
    #: Shown above the selected items the moderator may not moderate.
    no_access_message = ""
    #: ngettext_lazy(singular, plural, "count"): what the moderator reads after.
    success_message = ""
    classes = set()

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.success_message % {"count": num_parent_objects}

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_label"] = self.display_name
        context["question"] = self.question
        context["no_access_message"] = self.no_access_message
        return context


class ModerationViewSet(SnippetViewSet):
    """The queue of a model registered with `community.moderation.register()`
    and no viewset of its own: the items its moderator's `queue()` returns,
    newest first, with the moderator's actions as bulk actions."""

    model = None
    icon = "warning"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50

    @property
    def url_prefix(self):
        opts = self.model._meta
        return f"community/moderation/{opts.app_label}/{opts.model_name}"

    @property
    def menu_label(self):
        return capfirst(self.model._meta.verbose_name_plural)

    def get_queryset(self, request):
        return moderation.registry.get(self.model).queue().order_by("-pk")
