"""Community → Entries and Votes in the Wagtail admin: editors give jury
scores and places (winners) to entries; votes are listed for the audit
(voided ones included). Votes are cast by members, never here."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from community.campaigns.models import CampaignPage, Entry, Vote


class EntryFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=lambda request: CampaignPage.objects.all()
    )

    class Meta:
        model = Entry
        fields = []


class EntryViewSet(SnippetViewSet):
    model = Entry
    icon = "trophy"
    menu_label = _("Entries")
    menu_name = "campaign_entries"
    url_prefix = "community/campaigns/entries"
    filterset_class = EntryFilterSet
    add_view_enabled = False
    copy_view_enabled = False
    ordering = ["-vote_count", "-id"]
    list_per_page = 30
    list_export = [
        "pk",
        "campaign",
        "post",
        "vote_count",
        "jury_score",
        "winner_rank",
        "prize",
    ]
    list_display = [
        Column("post", label=_("Entry"), accessor="post"),
        Column("campaign", label=_("Campaign"), accessor="campaign"),
        Column("vote_count", label=_("Votes"), sort_key="vote_count"),
        Column("jury_score", label=_("Jury score")),
        Column("winner_rank", label=_("Place"), sort_key="winner_rank"),
        DateColumn("created_at", label=_("Entered"), sort_key="created_at"),
    ]
    panels = [
        FieldRowPanel([FieldPanel("jury_score"), FieldPanel("winner_rank")]),
        FieldPanel("prize"),
    ]

    def get_queryset(self, request):
        return Entry.objects.select_related("post", "campaign")


class VoteFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=lambda request: CampaignPage.objects.all()
    )
    voided = django_filters.BooleanFilter(label=_("Voided"))

    class Meta:
        model = Vote
        fields = []


class VoteViewSet(SnippetViewSet):
    model = Vote
    icon = "tick"
    menu_label = _("Votes")
    menu_name = "campaign_votes"
    url_prefix = "community/campaigns/votes"
    filterset_class = VoteFilterSet
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    ordering = ["-created_at"]
    list_per_page = 50
    list_export = [
        "pk",
        "campaign",
        "entry",
        "user",
        "network",
        "created_at",
        "voided",
        "void_reason",
    ]
    list_display = [
        Column("entry", label=_("Entry"), accessor="entry"),
        Column("user", label=_("Member"), accessor="user"),
        Column("network", label=_("Network")),
        DateColumn("created_at", label=_("Voted"), sort_key="created_at"),
        Column("voided", label=_("Voided"), accessor="voided"),
        Column("void_reason", label=_("Why voided")),
    ]
    panels = []

    def get_queryset(self, request):
        return Vote.objects.select_related("entry__post", "user")
