"""Community → Members in the Wagtail admin: find members, suspend them with a
reason, lift the suspension."""

import django_filters
from allauth.socialaccount import providers
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from community import moderation
from community.models import Profile


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
        label=_("Suspended"),
        field_name="suspended_at",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Profile
        fields = []

    def by_provider(self, queryset, name, value):
        if value == "email":
            return queryset.filter(user__socialaccount__isnull=True)
        return queryset.filter(user__socialaccount__provider=value).distinct()


class MemberForm(forms.ModelForm):
    """Editors correct a member's public profile and suspend or reinstate them."""

    suspended = forms.BooleanField(
        label=_("Suspended"),
        required=False,
        help_text=_("A suspended member cannot post, comment or react."),
    )

    class Meta:
        model = Profile
        fields = ["display_name", "bio", "region", "suspension_reason"]

    def __init__(self, *args, **kwargs):
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        self.fields["suspended"].initial = self.instance.is_suspended
        self.fields["suspension_reason"].help_text = _(
            "Shown to the member. Required to suspend."
        )

    def clean(self):
        data = super().clean()
        if data.get("suspended") and not (data.get("suspension_reason") or "").strip():
            self.add_error(
                "suspension_reason", _("Tell the member why they are suspended.")
            )
        return data

    def save(self, commit=True):
        profile = super().save(commit=False)
        suspended = self.cleaned_data.get("suspended")
        if suspended and not profile.is_suspended:
            profile.suspended_at = timezone.now()
        elif not suspended:
            profile.suspended_at = None
            profile.suspension_reason = ""
        if commit:
            profile.save()
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
        DateColumn("suspended_at", label=_("Suspended")),
    ]
    ordering = ["-user__date_joined"]
    list_export = ["display_name", "region", "created_at", "suspended_at"]

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
