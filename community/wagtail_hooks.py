"""Registers the app's admin screens and panels with Wagtail; no logic here."""

from wagtail import hooks  # noqa: E402

from .members_admin import CommunityViewSetGroup  # noqa: E402


@hooks.register("register_admin_viewset")
def register_community_viewsets():
    return CommunityViewSetGroup()
