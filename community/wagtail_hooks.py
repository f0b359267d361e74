"""Registers the community's admin screens with Wagtail; no logic here: the
Community menu, and for every model in the moderation registry its queue,
permission policy and bulk actions; the names of moderators' decisions in
Wagtail's log; members' own avatars as their admin avatars."""

from wagtail import hooks

from community.avatars import admin_avatar_url
from community.moderation.admin import (
    register_moderation_admin,
    register_moderation_log_actions,
)
from community.viewsets import CommunityViewSetGroup


@hooks.register("register_admin_viewset")
def register_community_menu():
    # Here rather than at import: see register_moderation_admin().
    register_moderation_admin()
    return CommunityViewSetGroup()


hooks.register("register_log_actions", register_moderation_log_actions)
hooks.register("get_avatar_url", admin_avatar_url)
