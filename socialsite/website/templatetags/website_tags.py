from django import template
from django.urls import translate_url
from django.utils import translation
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


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the translation of the current page where there is
    one, else the same non-page URL in the other language, else its home page."""
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    translations = {}
    if isinstance(page, Page):
        for item in (
            page.get_translations(inclusive=True).live().select_related("locale")
        ):
            translations[item.locale.language_code] = item
    links = []
    for locale in Locale.objects.all().order_by("pk"):
        code = locale.language_code
        if code in translations:
            url = translations[code].url
        elif isinstance(page, Page):
            root = site_root(request)
            home = root.get_translation_or_none(locale) if root else None
            url = home.url if home else f"/{code}/"
        else:
            url = translate_url(request.get_full_path(), code)
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
