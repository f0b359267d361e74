"""What the header and footer of every page show: the home page in the
visitor's language, the menu, the languages and each language's home page,
and the translations of the page shown (the language switcher).

Built once per site and language (translations once per page), kept in the
cache until the page tree changes (`sharing.generations`: pages saved,
published, unpublished, moved or deleted, view restrictions, sites and
locales, images), and on the request: a page costs no query for them once
cached. `cached()` keeps other listings of pages the same way."""

from dataclasses import dataclass

from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from sharing.generations import Generation

GENERATION = Generation("website:navigation")

#: Seconds an entry lives at most (changes retire it before).
TIMEOUT = 60 * 60

#: The attribute of a request that keeps its navigation.
REQUEST_ATTRIBUTE = "_website_navigation"


@dataclass(frozen=True)
class Navigation:
    """A site's navigation in one language."""

    #: The home page in the language (a plain `Page`), or None without a site.
    root: Page | None
    root_url: str
    #: The live, public pages under the home page that editors put in menus.
    menu: tuple
    #: ((language code, name), ...) of the site's locales.
    locales: tuple
    #: {language code: URL of the home page in that language, or None}.
    home_urls: dict


def for_request(request):
    """The navigation of the request's site in the active language."""
    language = translation.get_language() or ""
    data = getattr(request, REQUEST_ATTRIBUTE, None)
    if data is not None and data[0] == language:
        return data[1]
    site = Site.find_for_request(request)
    if site is None:
        navigation = Navigation(None, "/", (), (), {})
    else:
        navigation = GENERATION.get(
            f"{site.pk}:{language}", lambda: build(site), TIMEOUT
        )
    setattr(request, REQUEST_ATTRIBUTE, (language, navigation))
    return navigation


def build(site):
    root = site.root_page.localized
    locales = list(Locale.objects.order_by("pk"))
    home_urls = {}
    for locale in locales:
        home = root.get_translation_or_none(locale)
        home_urls[locale.language_code] = home.url if home else None
    return Navigation(
        root=root,
        root_url=root.url or "/",
        menu=tuple(root.get_children().live().public().in_menu()),
        locales=tuple(
            (locale.language_code, str(locale.get_display_name())) for locale in locales
        ),
        home_urls=home_urls,
    )


def cached(key, build):
    """`build()`, cached as `key` until the page tree changes: for what a
    page lists of other pages (the home page's newest products and news)."""
    return GENERATION.get(key, build, TIMEOUT)


def translation_urls(page):
    """{language code: URL} of the live translations of `page` (itself
    included)."""

    def build_urls():
        translations = (
            page.get_translations(inclusive=True).live().select_related("locale")
        )
        return {item.locale.language_code: item.url for item in translations}

    return GENERATION.get(f"translations:{page.pk}", build_urls, TIMEOUT)


def connect_signals():
    """Called by the app's ready()."""
    uid = "website.navigation"
    bump = GENERATION.bump
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump, dispatch_uid=uid)
    # Images: listings show pictures, and a replaced file changes them.
    models = (*get_page_models(), PageViewRestriction, Site, Locale, get_image_model())
    for model in models:
        post_save.connect(bump, sender=model, dispatch_uid=uid)
        post_delete.connect(bump, sender=model, dispatch_uid=uid)
    setting_changed.connect(on_setting_changed, dispatch_uid=uid)


def on_setting_changed(setting, **kwargs):
    """Languages are settings (changed by tests)."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "WAGTAIL_CONTENT_LANGUAGES"}:
        GENERATION.renew()
