"""Registers the community's admin screens with Wagtail; no logic here: the
Community menu, and for every model in the moderation registry its queue,
permission policy and bulk actions."""

from wagtail import hooks

from community.moderation.admin import register_moderation_admin
from community.viewsets import CommunityViewSetGroup


@hooks.register("register_admin_viewset")
def register_community_menu():
    # Here rather than at import: see register_moderation_admin().
    register_moderation_admin()
    return CommunityViewSetGroup()
