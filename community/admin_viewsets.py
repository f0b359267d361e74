"""The Community menu of the Wagtail admin: one group for every community
screen (members, comments and posts moderation)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from .insights.admin_viewsets import KeywordGroupViewSet
from .members_admin import MemberViewSet
from .moderation_admin import CommentViewSet
from .posts_admin import PostViewSet


class CommunityViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Community")
    menu_icon = "group"
    menu_name = "community"
    menu_order = 250
    items = (PostViewSet, CommentViewSet, MemberViewSet, KeywordGroupViewSet)
