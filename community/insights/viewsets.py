from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from community.insights.models import KeywordGroup
from community.moderation.admin import HumanInspectView


class KeywordGroupViewSet(SnippetViewSet):
    model = KeywordGroup
    icon = "tag"
    menu_label = _("Listening keywords")
    menu_name = "keyword_groups"
    url_prefix = "community/keyword-groups"
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = HumanInspectView
    list_display = [
        "name",
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column(
            "keywords", label=_("Keywords"), accessor=lambda g: ", ".join(g.keywords())
        ),
        "active",
    ]
    list_filter = ["kind", "active"]
