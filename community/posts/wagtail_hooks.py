"""Registers the posts app's admin parts with Wagtail; no logic here. (The
posts' queue, permission policy and bulk actions come from the moderation
registry: see `community.wagtail_hooks`.)"""

from django.template.loader import render_to_string
from wagtail import hooks


@hooks.register("register_community_member_section")
def member_posts_section(request, member):
    return render_to_string(
        "community_posts/includes/member_section.html",
        {"member": member},
        request=request,
    )
