"""The moderation toolkit's admin parts, shared by every moderated model:
the queue's state filter and filter set, link columns, the permission policy
(moderators change and delete, nobody adds), the bulk actions made from each
moderator's `actions`, and the generic queue viewset."""

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_list_or_404
from django.urls import reverse
from django.utils.functional import cached_property, classproperty
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet

from community import moderation
from community.adapter import get_adapter
from community.formats import human_datetime, human_value

QUEUE = "queue"
ALL = "all"


def queue_state_filter(states):
    """The "State" filter of a moderation queue: needs review (the default),
    all, or one of the model's `states`."""
    return django_filters.ChoiceFilter(
        label=pgettext_lazy("moderation", "State"),
        choices=[(QUEUE, _("Needs review")), (ALL, _("All"))] + list(states),
        empty_label=_("Needs review"),
        method="filter_state",
    )


class ModerationQueueFilterSet(WagtailFilterSet):
    """Filters of a listing whose default view is the queue (its moderator's
    `queue()`); declare `state = queue_state_filter(...)`."""

    @property
    def moderator(self):
        return moderation.registry.get(self._meta.model)

    def filter_state(self, queryset, name, value):
        if value == ALL:
            return queryset
        if value == QUEUE:
            return self.moderator.queue(queryset)
        return queryset.filter(state=value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("state"):
            queryset = self.moderator.queue(queryset)
        return queryset


def state_choices(model):
    """The choices of the model's `state` field, else the states its
    moderator's actions set."""
    field = model._meta.get_field("state")
    if field.choices:
        return list(field.flatchoices)
    moderator = moderation.registry.get(model)
    states = dict.fromkeys(state for state, _label in moderator.actions.values())
    return [(state, capfirst(state)) for state in states]


def queue_filterset(model):
    """A queue filter set (the state filter alone) for `model`."""
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(
        f"{model.__name__}QueueFilterSet",
        (ModerationQueueFilterSet,),
        {"state": queue_state_filter(state_choices(model)), "Meta": meta},
    )


def queue_url(model):
    """The admin URL of the queue of a moderated `model`."""
    return reverse(model.snippet_viewset.get_url_name("list"))


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


class OnlyIdsWithoutAccessMixin:
    """Lists what the editor may not act on by id, never by its text: it may
    be held from the public."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items_with_no_access"] = [
            item.pk for item in context.get("items_with_no_access", [])
        ]
        return context


class ModerationDeleteBulkAction(OnlyIdsWithoutAccessMixin, DeleteBulkAction):
    """Wagtail's bulk delete of snippets, for a moderated model (named by
    it: "Delete selected comments", not "snippets")."""

    @classproperty
    def aria_label(cls):
        if not getattr(cls, "models", None):
            return DeleteBulkAction.aria_label
        return _("Delete selected %(items)s") % {
            "items": cls.models[0]._meta.verbose_name_plural
        }


class ModerationBulkAction(OnlyIdsWithoutAccessMixin, SnippetBulkAction):
    """A moderator's decision (`moderation_action`) on the selected items of
    a moderated model: the editor needs the moderator's permission, confirms
    the moderator's question (and fills the action's form, if any), and the
    decision runs through `moderator.moderate()`. Made for each action of
    each registered moderator by `moderation_bulk_actions()`."""

    template_name = "community/admin/confirm_moderation.html"
    moderation_action = None
    classes = set()

    @classproperty
    def aria_label(cls):
        if cls.moderation_action is None:
            return ""
        return _("Apply “%(action)s” to the selected %(items)s") % {
            "action": cls.display_name,
            "items": cls.models[0]._meta.verbose_name_plural,
        }

    @cached_property
    def moderator(self):
        return moderation.registry.get(self.model)

    @classmethod
    def get_queryset(cls, model, object_ids):
        # Ids come from the query string: ignore what is not one.
        pk_field = model._meta.pk
        pks = []
        for value in object_ids:
            try:
                pks.append(pk_field.to_python(value))
            except ValidationError:
                continue
        return get_list_or_404(model, pk__in=pks)

    def get_all_objects_in_listing_query(self, parent_id):
        # "Select all" never reaches beyond the queue.
        return self.moderator.queue().values_list("pk", flat=True)

    def get_form_class(self):
        return self.moderator.get_form_class(self.moderation_action) or forms.Form

    def check_perm(self, obj):
        return self.moderator.may_moderate(self.request.user)

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.moderator.get_success_message(
            self.moderation_action, num_parent_objects
        )

    def get_execution_context(self):
        options = {}
        if self.cleaned_form is not None:
            options = dict(self.cleaned_form.cleaned_data)
        return {
            "moderator": self.moderator,
            "user": self.request.user,
            "options": options,
        }

    @classmethod
    def execute_action(cls, objects, moderator=None, user=None, options=None):
        count = moderator.moderate(
            objects, cls.moderation_action, moderator=user, **(options or {})
        )
        return count, 0

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_label"] = self.display_name
        context["question"] = self.moderator.get_question(self.moderation_action)
        context["no_access_message"] = _(
            "You don't have permission to moderate these %(items)s"
        ) % {"items": self.model._meta.verbose_name_plural}
        return context


def moderation_bulk_actions(moderator):
    """The bulk actions of a moderated model, one per action of its
    `moderator` (``/admin/bulk/<app>/<model>/<action>_<model>s/``), and
    Wagtail's delete in place of the one it registers for every snippet."""
    model = moderator.model
    delete = type(
        f"Delete{model.__name__}BulkAction",
        (ModerationDeleteBulkAction,),
        {"__module__": __name__, "models": [model]},
    )
    return [delete] + [
        type(
            f"{action.title().replace('_', '')}{model.__name__}BulkAction",
            (ModerationBulkAction,),
            {
                "__module__": __name__,
                "models": [model],
                "moderation_action": action,
                "display_name": label,
                "action_type": f"{action}_{model._meta.model_name}s",
                "action_priority": 10 + 5 * position,
            },
        )
        for position, (action, (_state, label)) in enumerate(moderator.actions.items())
    ]


def register_moderation_admin():
    """Registers with Wagtail, for every model in the moderation registry,
    the moderation permission policy (unless its app registered one) and the
    bulk actions of its moderator.

    Called by the Community menu's ``register_admin_viewset`` hook, when the
    admin URLconf loads: every app's ``ready()`` has run by then, whereas
    ``wagtail_hooks`` modules are imported during ``wagtail.snippets``'
    ``ready()``, before the apps listed after it have registered their models.
    """
    for moderator in moderation.registry:
        model = moderator.model
        if policy_registry.get_by_type(model, fallback=False) is None:
            register_permission_policy(
                model, ModerationPermissionPolicy(model), exact_class=True
            )
        for bulk_action in moderation_bulk_actions(moderator):
            hooks.register("register_bulk_action", bulk_action)


def register_moderation_log_actions(actions):
    """Names in Wagtail's log (an item's history, the site history report)
    for each decision of the registered moderators, and for suspending a
    member from a review page."""
    seen = set()
    for moderator in moderation.registry:
        for action in moderator.actions:
            name = moderation.log_action_name(action)
            if name not in seen:
                seen.add(name)
                label = moderator.get_label(action)
                actions.register_action(name, label, label)
    actions.register_action(
        moderation.log_action_name("suspend"),
        pgettext_lazy("moderation", "Suspend"),
        _("Suspended the member"),
    )


class HumanInspectMixin:
    """An inspect view that shows values as people read them
    (`community.formats`): dates and times in one format in the site's time
    zone, "Yes"/"No", "—" for nothing (never "None" or "True")."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, get_user_model()):
            # A member by their public name, and the account's username.
            return f"{get_adapter().author_name(value)} ({value.get_username()})"
        return human_value(value)


class HumanInspectView(HumanInspectMixin, InspectView):
    """Wagtail's snippet inspect view with `HumanInspectMixin`."""


def admin_url(item, user):
    """The admin page of a moderated `item` for `user`: its inspect view
    (which shows it whole), else its edit view, else None."""
    viewset = getattr(type(item), "snippet_viewset", None)
    if viewset is not None and viewset.inspect_view_enabled:
        if viewset.permission_policy.user_has_any_permission(
            user, ["view", "change", "delete"]
        ):
            return reverse(viewset.get_url_name("inspect"), args=[quote(item.pk)])
    return AdminURLFinder(user).get_edit_url(item)


def member_activity(member, user, limit=20):
    """What `member` wrote, per moderated model with an `author_field`: a
    list of {"label", "count", "items"}, each item {"text", "state", "date",
    "url"} (its admin page, when `user` may open it), newest first."""
    sections = []
    for moderator in moderation.registry:
        if moderator.author_field is None:
            continue
        items = moderator.authored_by(member)
        count = items.count()
        sections.append(
            {
                "label": capfirst(moderator.model._meta.verbose_name_plural),
                "count": count,
                "items": [
                    {
                        "text": str(item),
                        "state": state_label(item),
                        "date": human_datetime(
                            getattr(item, moderator.date_field, None)
                            if moderator.date_field
                            else None
                        ),
                        "url": admin_url(item, user),
                    }
                    for item in (items[:limit] if count else [])
                ],
            }
        )
    return sections


def state_label(item):
    display = getattr(item, "get_state_display", None)
    return display() if display else item.state


class ModerationIndexView(IndexView):
    """A moderation queue: each row's title opens the item's review page (its
    inspect view, which shows it whole with the moderator's actions) rather
    than Wagtail's edit form, and the bulk bar names the items ("3 comments
    selected", not "3 snippets selected"; `Moderator.get_bulk_strings()`)."""

    def get_review_url(self, instance):
        return self.get_inspect_url(instance) or self.get_edit_url(instance)

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # Wagtail's, with the review page in place of the edit form.
        return self._get_custom_column(
            field_name,
            self._get_title_column_class(column_class),
            get_url=self.get_review_url,
            get_title_id=lambda instance: f"snippet_{quote(instance.pk)}_title",
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        moderator = moderation.registry.get(self.model)
        if moderator is not None:
            context["bulk_item_type"] = f"MODERATED_{self.model._meta.label_lower}"
            context["bulk_strings"] = moderator.get_bulk_strings()
        return context


class ModerationViewSet(SnippetViewSet):
    """The queue of a model registered with `community.moderation.register()`
    and no viewset of its own: the items its moderator's `queue()` returns
    (or all, or those in one state), newest first, with the moderator's
    actions as bulk actions. Nobody adds or copies items here."""

    model = None
    icon = "warning"
    index_view_class = ModerationIndexView
    index_template_name = "community/admin/moderation_index.html"
    inspect_view_enabled = True
    inspect_view_class = HumanInspectView
    copy_view_enabled = False
    list_per_page = 50
    ordering = ["-pk"]
    list_display = [
        "__str__",
        Column(
            "state", label=pgettext_lazy("moderation", "State"), accessor=state_label
        ),
    ]

    @property
    def url_prefix(self):
        opts = self.model._meta
        return f"community/moderation/{opts.app_label}/{opts.model_name}"

    @property
    def menu_label(self):
        return capfirst(self.model._meta.verbose_name_plural)

    @cached_property
    def filterset_class(self):
        return queue_filterset(self.model)
