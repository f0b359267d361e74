from django import template
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.models import Locale, Page, Site

register = template.Library()


def site_root(request):
    """The home page in the visitor's language (or the site's root page)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """Live pages under the home page that editors put in the menu."""
    request = context.get("request")
    root = site_root(request) if request else None
    if root is None:
        return Page.objects.none()
    return root.get_children().live().public().in_menu()


@register.simple_tag(takes_context=True)
def home_url(context):
    request = context.get("request")
    root = site_root(request) if request else None
    return root.url if root else "/"


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


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the translation of the current page where there is
    one, else the same non-page URL in the other language, else its home page.
    Links are never built from a path that names nothing: on the 404 page
    (`page_not_found` in the context) every link is a language's home page."""
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    translations = {}
    if isinstance(page, Page):
        for item in (
            page.get_translations(inclusive=True).live().select_related("locale")
        ):
            translations[item.locale.language_code] = item
    root = None
    links = []
    for locale in Locale.objects.all().order_by("pk"):
        code = locale.language_code
        url = None
        if code in translations:
            url = translations[code].url
        elif not isinstance(page, Page) and not context.get("page_not_found"):
            url = translated_path(request, code)
        if url is None:
            root = root or site_root(request)
            home = root.get_translation_or_none(locale) if root else None
            url = home.url if home else f"/{code}/"
        links.append(
            {
                "code": code,
                "name": locale.get_display_name(),
                "url": url,
                "current": code == current,
            }
        )
    return links


@register.filter
def is_section_of(item, page):
    """True when `page` is `item` or lies below it in the tree."""
    return isinstance(page, Page) and page.path.startswith(item.path)
