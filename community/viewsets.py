"""Community → Members in the Wagtail admin: find members, suspend them (for
a while or until lifted, with a reason they read in their language and an
e-mail), lift the suspension; a member's page lists what they wrote."""

import django_filters
from allauth.socialaccount import providers
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from community import app_settings, moderation, suspensions
from community.formats import EMPTY, human_datetime
from community.models import Profile
from community.moderation.admin import HumanInspectMixin, member_activity


def provider_choices():
    return [("email", _("E-mail only"))] + [
        (cls.id, cls.name) for cls in providers.registry.get_class_list()
    ]


class MemberFilterSet(WagtailFilterSet):
    provider = django_filters.ChoiceFilter(
        label=_("Signs in with"), choices=provider_choices, method="by_provider"
    )
    joined = django_filters.DateFromToRangeFilter(
        label=_("Joined"),
        field_name="user__date_joined",
        widget=DateRangePickerWidget,
    )
    last_login = django_filters.DateFromToRangeFilter(
        label=_("Last active"),
        field_name="user__last_login",
        widget=DateRangePickerWidget,
    )
    suspended = django_filters.BooleanFilter(
        label=_("Suspended"), method="filter_suspended"
    )

    class Meta:
        model = Profile
        fields = []

    def filter_suspended(self, queryset, name, value):
        if value is None:
            return queryset
        now_suspended = Profile.suspended_now()
        if value:
            return queryset.filter(now_suspended)
        return queryset.exclude(now_suspended)

    def by_provider(self, queryset, name, value):
        if value == "email":
            return queryset.filter(user__socialaccount__isnull=True)
        return queryset.filter(user__socialaccount__provider=value).distinct()


def suspension_reason_choices():
    return [("", _("— no template: write the reason below —"))] + [
        (key, text) for key, text in app_settings.SUSPENSION_REASONS.items()
    ]


class MemberForm(forms.ModelForm):
    """Editors correct a member's public profile, and suspend them (for a
    while or until further notice, for a reason they read in their language)
    or reinstate them. The member is told by e-mail."""

    suspended = forms.BooleanField(
        label=_("Suspended"),
        required=False,
        help_text=_("A suspended member cannot post, comment or react."),
    )
    suspended_until = forms.DateTimeField(
        label=_("Suspended until"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=_("Leave empty to suspend until you lift it."),
    )
    suspension_template = forms.ChoiceField(
        label=_("Reason"),
        required=False,
        choices=suspension_reason_choices,
        help_text=_("The member reads it in their own language."),
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "bio",
            "region",
            "suspension_template",
            "suspension_reason",
            "suspended_until",
        ]
        labels = {"suspension_reason": _("Note to the member")}
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}

    field_order = [
        "display_name",
        "bio",
        "region",
        "suspended",
        "suspended_until",
        "suspension_template",
        "suspension_reason",
    ]

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        self.was_suspended = self.instance.is_suspended
        self.fields["suspended"].initial = self.was_suspended
        self.fields["suspension_reason"].help_text = _(
            "Shown to the member with the reason, in the e-mail and when they "
            "try to take part. A template, a note or both are required to "
            "suspend."
        )
        self.fields["suspension_reason"].widget.attrs.update({"rows": 3})

    def clean(self):
        data = super().clean()
        if not data.get("suspended"):
            return data
        if (
            not data.get("suspension_template")
            and not (data.get("suspension_reason") or "").strip()
        ):
            self.add_error(
                "suspension_reason", _("Tell the member why they are suspended.")
            )
        until = data.get("suspended_until")
        if until is not None and until <= timezone.now():
            self.add_error(
                "suspended_until", _("Choose a moment in the future, or none.")
            )
        return data

    def save(self, commit=True):
        profile = super().save(commit=False)
        event = None
        if self.cleaned_data.get("suspended"):
            changed = {"suspension_template", "suspension_reason", "suspended_until"}
            if not self.was_suspended:
                profile.suspended_at = timezone.now()
                event = suspensions.SUSPENDED
            elif changed & set(self.changed_data):
                event = suspensions.SUSPENDED
        else:
            profile.suspended_at = None
            profile.suspended_until = None
            profile.suspension_template = ""
            profile.suspension_reason = ""
            if self.was_suspended:
                event = suspensions.REINSTATED
        if commit:
            profile.save()
            if event:
                suspensions.notify_member(profile, event)
        return profile


class MemberPermissionPolicy(ModelPermissionPolicy):
    """Members come from sign-up and leave by deleting their account: editors
    list and edit them, never create or delete them here."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete", "copy"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def suspension_summary(profile):
    """The listing's "Suspended" column: until when, or nothing."""
    if not profile.is_suspended:
        return ""
    if profile.suspended_until is None:
        return _("Until lifted")
    return _("Until %(date)s") % {"date": human_datetime(profile.suspended_until)}


class MemberActivityMixin:
    """The member's comments, posts and the like (each moderated model's
    items they wrote, with links to their admin pages) under the page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activity"] = member_activity(self.object.user, self.request.user)
        context["member"] = self.object.user
        return context


class MemberEditView(MemberActivityMixin, EditView):
    template_name = "community/admin/member_edit.html"


class MemberInspectView(MemberActivityMixin, HumanInspectMixin, InspectView):
    template_name = "community/admin/member_inspect.html"

    def get_suspension_template_display_value(self):
        key = self.object.suspension_template
        return app_settings.SUSPENSION_REASONS.get(key, key) or EMPTY


class MemberIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("user")
            .prefetch_related("user__socialaccount_set")
        )


class MemberViewSet(ModelViewSet):
    model = Profile
    index_view_class = MemberIndexView
    edit_view_class = MemberEditView
    inspect_view_class = MemberInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "display_name",
        "region",
        "bio",
        "created_at",
        "suspended_at",
        "suspended_until",
        "suspension_template",
        "suspension_reason",
        "language",
    ]
    name = "members"
    url_prefix = "community/members"
    icon = "group"
    menu_label = _("Members")
    copy_view_enabled = False
    filterset_class = MemberFilterSet
    search_fields = ["display_name", "user__email", "user__username"]
    list_per_page = 50
    list_display = [
        "name",
        Column("email", label=_("E-mail"), accessor="user.email"),
        Column("sign_in_methods", label=_("Signs in with")),
        Column("region", label=_("Region")),
        DateColumn("joined", label=_("Joined"), accessor="user.date_joined"),
        DateColumn("last_login", label=_("Last active"), accessor="user.last_login"),
        Column("suspended", label=_("Suspended"), accessor=suspension_summary),
    ]
    ordering = ["-user__date_joined"]
    list_export = [
        "display_name",
        "region",
        "created_at",
        "suspended_at",
        "suspended_until",
    ]

    def get_form_class(self, for_update=False):
        return MemberForm


class CommunityViewSetGroup(SnippetViewSetGroup):
    """The Community menu of the Wagtail admin: one entry per moderated model
    (its queue, from the moderation registry), Members, and whatever the apps
    add with the ``register_community_viewset`` hook (a function returning a
    viewset class or instance)."""

    menu_label = _("Community")
    menu_icon = "group"
    menu_name = "community"
    menu_order = 250

    def __init__(self):
        self.items = [
            *(moderator.get_viewset() for moderator in moderation.registry),
            MemberViewSet,
            *(fn() for fn in hooks.get_hooks("register_community_viewset")),
        ]
        super().__init__()
