from django import template

from community.comments import comment_form_context, comment_thread

register = template.Library()


@register.inclusion_tag("community/includes/member_menu.html", takes_context=True)
def member_menu(context):
    """The header's account menu: "Sign in", or the member's avatar with links
    to their profile and settings and a sign-out button (a POST form)."""
    from ..accounts import member_menu_context

    return member_menu_context(context.get("request"))


@register.inclusion_tag("community/includes/avatar.html")
def member_avatar(user, size="small"):
    from ..models import Profile

    return {"profile": Profile.for_user(user), "size": size}


@register.inclusion_tag("community/includes/comments.html", takes_context=True)
def comments_for(context, target):
    """The comments of `target` (a page or object using CommentsMixin): the
    form, the threads and their actions. Renders nothing when hidden."""
    request = context["request"]
    if not getattr(target, "show_comments", True):
        return {"hidden": True}
    return {**comment_thread(request, target), **comment_form_context(request, target)}
