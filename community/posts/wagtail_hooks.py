"""Registers the posts app's admin parts with Wagtail; no logic here."""

from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from community.posts.models import Post
from community.posts.viewsets import (
    ApprovePostsBulkAction,
    PostPermissionPolicy,
    RejectPostsBulkAction,
    RemovePostsBulkAction,
)

register_permission_policy(Post, PostPermissionPolicy(Post), exact_class=True)
hooks.register("register_bulk_action", ApprovePostsBulkAction)
hooks.register("register_bulk_action", RejectPostsBulkAction)
hooks.register("register_bulk_action", RemovePostsBulkAction)


@hooks.register("register_community_member_section")
def member_posts_section(request, member):
    return render_to_string(
        "community_posts/includes/member_section.html",
        {"member": member},
        request=request,
    )
