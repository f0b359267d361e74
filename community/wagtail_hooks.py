"""Registers the community's admin screens with Wagtail; no logic here."""

from wagtail import hooks

from community.viewsets import CommunityViewSetGroup


@hooks.register("register_admin_viewset")
def register_community_menu():
    return CommunityViewSetGroup()
