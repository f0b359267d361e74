from django import template

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
