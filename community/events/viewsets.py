"""Events in the Wagtail admin: registrations (filter by event and status,
export attendees as CSV or XLSX), invitations (each a link that registers one
member past capacity) and the attendance report."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from community.events.models import EventPage, Invitation, Registration


def events_queryset(request):
    return EventPage.objects.order_by("-start_at")


class RegistrationFilterSet(WagtailFilterSet):
    event = django_filters.ModelChoiceFilter(label=_("Event"), queryset=events_queryset)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Registration.Status.choices
    )
    present = django_filters.BooleanFilter(
        label=_("Checked in"),
        field_name="checked_in_at",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Registration
        fields = []


class RegistrationViewSet(SnippetViewSet):
    model = Registration
    icon = "list-ul"
    menu_label = _("Registrations")
    menu_name = "event_registrations"
    url_prefix = "community/events/registrations"
    filterset_class = RegistrationFilterSet
    search_fields = ["user__username", "user__email"]
    search_backend_name = None
    ordering = ["event", "queued_at"]
    list_per_page = 50
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_export = [
        "pk",
        "event",
        "author_name",
        "member_email",
        "status",
        "invited",
        "created_at",
        "checked_in_at",
        "answers",
    ]
    export_headings = {"author_name": _("Name"), "member_email": _("E-mail")}
    list_display = [
        Column("name", label=_("Member"), accessor="author_name"),
        Column("event", label=_("Event"), accessor="event"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("Registered"), sort_key="created_at"),
        DateColumn("checked_in_at", label=_("Checked in"), sort_key="checked_in_at"),
    ]

    def get_queryset(self, request):
        return Registration.objects.select_related("user__community_profile", "event")


class InvitationCreateView(CreateView):
    """Adding an invitation records the editor who made it."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or self.model()
        instance.created_by = self.request.user
        return instance


class InvitationViewSet(SnippetViewSet):
    model = Invitation
    add_view_class = InvitationCreateView
    icon = "mail"
    menu_label = _("Invitations")
    menu_name = "event_invitations"
    url_prefix = "community/events/invitations"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        Column("note", label=_("For"), accessor="__str__"),
        Column("url", label=_("Link"), accessor="url"),
        Column("used_by", label=_("Used by"), accessor="used_by"),
        DateColumn("used_at", label=_("Used at"), sort_key="used_at"),
        Column("created_by", label=_("Created by"), accessor="created_by"),
    ]
    inspect_view_fields = [
        "event",
        "note",
        "url",
        "used_by",
        "used_at",
        "created_at",
        "created_by",
    ]
