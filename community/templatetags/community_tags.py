import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail import hooks

from community.accounts import member_menu_context
from community.adapter import get_adapter
from community.providers.icons import provider_icon as _provider_icon
from sharing import pagecache

register = template.Library()

#: Apps add sections to a member's public page with this hook: a function
#: (request, member) returning HTML (e.g. the posts app's "Posts").
MEMBER_SECTIONS_HOOK = "register_community_member_section"

#: Apps add tabs to the member's account pages with this hook: a function
#: (request) returning a (label, URL) pair, or None (e.g. the events app's
#: "My events").
ACCOUNT_TABS_HOOK = "register_community_account_tab"


@register.inclusion_tag("community/includes/member_menu.html", takes_context=True)
def member_menu(context):
    """The header's account menu: "Sign in", or the member's avatar with links
    to their profile and settings and a sign-out button (a POST form)."""
    return member_menu_context(context.get("request"))


@register.inclusion_tag("community/includes/avatar.html")
def member_avatar(user, size="small", alt=""):
    """`user`'s avatar ("large", "small" or "tiny"), else the initial of their
    public name. No query when the profile was loaded with the user
    (``select_related("author__community_profile")``); never creates one."""
    profile = member_profile(user)
    name = str(get_adapter().author_name(user)) if user is not None else ""
    return {
        "profile": profile,
        "size": size,
        "alt": alt,
        "initial": (name[:1] or "?").upper(),
    }


@register.simple_tag
def provider_icon(provider_id):
    """The sign-in button's icon for allauth's `provider_id` (inline SVG),
    or "" (community.providers.icons)."""
    return _provider_icon(provider_id)


@register.filter
def member_profile(user):
    """`user`'s community profile, or None (no profile yet, no user)."""
    if user is None:
        return None
    return getattr(user, "community_profile", None)


@register.simple_tag(takes_context=True)
def account_app_tabs(context):
    """[(label, URL)] of the tabs the installed apps add to account pages."""
    request = context.get("request")
    tabs = (fn(request) for fn in hooks.get_hooks(ACCOUNT_TABS_HOOK))
    return [tab for tab in tabs if tab]


@register.simple_tag(takes_context=True)
def member_sections(context, member):
    """The sections the installed apps add to `member`'s public page."""
    request = context.get("request")
    return mark_safe(  # noqa: S308 (each section renders its own template)
        "".join(fn(request, member) for fn in hooks.get_hooks(MEMBER_SECTIONS_HOOK))
    )


@register.filter
def json_ld(value):
    """`value` as a `<script type="application/ld+json">`, escaped like
    Django's json_script so text from visitors cannot close the element."""
    if not value:
        return ""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    safe_text = mark_safe(text)  # noqa: S308 (escaped above)
    return format_html('<script type="application/ld+json">{}</script>', safe_text)


@register.simple_tag(takes_context=True)
def cacheable_csrf_token(context):
    """`{% csrf_token %}` for forms on pages the page cache may store (see
    `sharing.pagecache.csrf_input`): an empty field that the visitor's browser
    fills with their own token, so the page stays the same for everyone."""
    request = getattr(context, "request", None) or context.get("request")
    return pagecache.csrf_input(request)
