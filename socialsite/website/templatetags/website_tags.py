from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import template
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.models import Page

from socialsite.website import navigation

register = template.Library()


def site_root(request):
    """The home page in the visitor's language (or the site's root page)."""
    return navigation.for_request(request).root


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """Live pages under the home page that editors put in the menu (cached:
    `socialsite.website.navigation`)."""
    request = context.get("request")
    if request is None:
        return []
    return list(navigation.for_request(request).menu)


@register.simple_tag(takes_context=True)
def page_json_ld(context, page):
    """The page's schema.org JSON-LD (its `get_json_ld(request)`), or None:
    ``{% page_json_ld page as data %}{{ data|json_ld }}``."""
    get_json_ld = getattr(page, "get_json_ld", None)
    return get_json_ld(context.get("request")) if get_json_ld else None


@register.simple_tag(takes_context=True)
def home_url(context):
    request = context.get("request")
    return navigation.for_request(request).root_url if request else "/"


def is_local_path(url):
    """True for a path on this site ("/zh-hans/search/?q=tea"); False for
    anything a browser would take to another host ("//evil.example/",
    "/\\evil.example/", "https://evil.example/")."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def translated_path(request, code):
    """The current non-page URL in language `code`, or None. Only a path that
    names a view is translated (translate_url returns other URLs unchanged,
    and reads "//host/path" as another host), and only a path on this site
    comes back."""
    path = request.path_info
    if not is_local_path(path):
        return None
    try:
        resolve(path)
    except Resolver404:
        return None
    url = translate_url(request.get_full_path(), code)
    return url if is_local_path(url) else None


def translated_next(request, code):
    """The current full path for the language switcher's form on a path
    without a language prefix (allauth's /accounts/…): the page itself, whose
    language the cookie set_language sets decides, with a local `next`
    parameter (where to go after signing in) in language `code`."""
    parts = urlsplit(request.get_full_path())
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "next" and is_local_path(value):
            translated = translate_url(value, code)
            value = translated if is_local_path(translated) else value
        query.append((key, value))
    return urlunsplit(("", "", parts.path, urlencode(query, safe="/"), ""))


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the translation of the current page where there is
    one, else the same non-page URL in the other language, else its home page.
    Links are never built from a path that names nothing: on the 404 page
    (`page_not_found` in the context) every link is a language's home page.
    A view outside the language prefix (allauth's /accounts/…) is the same
    URL in every language: there each language is a button of a form that
    posts to Django's set_language (`form` and `next` in each entry), which
    sets the language cookie and comes back."""
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    unprefixed = (
        not isinstance(page, Page)
        and not context.get("page_not_found")
        and translation.get_language_from_path(request.path_info) is None
        and is_local_path(request.path_info)
        and _names_a_view(request.path_info)
    )
    translations = {}
    if isinstance(page, Page):
        translations = navigation.translation_urls(page)
    site = navigation.for_request(request)
    links = []
    for code, name in site.locales:
        url = None
        if code in translations:
            url = translations[code]
        elif not isinstance(page, Page) and not context.get("page_not_found"):
            url = translated_path(request, code)
        if url is None:
            url = site.home_urls.get(code) or f"/{code}/"
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "current": code == current,
                "form": unprefixed,
                "next": translated_next(request, code) if unprefixed else "",
            }
        )
    return links


def _names_a_view(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@register.filter
def is_section_of(item, page):
    """True when `page` is `item` or lies below it in the tree."""
    return isinstance(page, Page) and page.path.startswith(item.path)
