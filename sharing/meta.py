"""What a page's head tells link previews and search engines: the values of
the canonical, Open Graph, Twitter Card and itemprop tags for a Shareable
object; the `hreflang` alternates of a page (its translations) or of any
object; and a plain-text meta description."""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.text import Truncator
from wagtail.models import Page, Site

from . import app_settings, restrictions
from .links import absolute_image_url, share_rendition, site_root_url
from .text import first_paragraph, page_description, plain_text

__all__ = ["first_paragraph", "page_description", "plain_text"]

#: Open Graph wants language_TERRITORY; Django's zh-hans is zh_Hans.
OG_LOCALES = {"zh_Hans": "zh_CN", "zh_Hant": "zh_TW", "en": "en_US"}


def og_locale(language=None):
    locale = translation.to_locale(language or translation.get_language() or "en")
    return OG_LOCALES.get(locale, locale)


def share_meta(request, obj):
    """A dict for `sharing/includes/share_meta.html`."""
    site = Site.find_for_request(request) if request is not None else None
    rendition = share_rendition(request, obj)
    return {
        "url": obj.get_share_url(request),
        "title": obj.get_share_title(),
        "description": obj.get_share_description(),
        "image": rendition,
        "image_url": absolute_image_url(request, rendition),
        "image_alt": rendition.alt if rendition else "",
        "site_name": (site.site_name if site else "") or "",
        "locale": og_locale(),
        "type": getattr(obj, "og_type", "website"),
        "itemprops": app_settings.ITEMPROP_META,
    }


# Alternates: <link rel="alternate" hreflang> in the head and <xhtml:link> in
# the sitemap, from the same lists.


def hreflang(language_code):
    """The BCP 47 tag of a Django language code: "zh-hans" → "zh-Hans",
    "en-us" → "en-US", "en" → "en"."""
    return translation.to_locale(language_code).replace("_", "-")


def _language_order(language_code):
    codes = [code for code, _name in settings.LANGUAGES]
    return codes.index(language_code) if language_code in codes else len(codes)


def with_x_default(pairs):
    """[{"lang_code", "location"}] for [(language code, absolute URL)], in the
    order of settings.LANGUAGES, followed by `x-default`: the version in the
    site's default language (LANGUAGE_CODE), else the first one."""
    pairs = sorted(pairs, key=lambda pair: _language_order(pair[0]))
    if not pairs:
        return []
    default = translation.get_supported_language_variant(settings.LANGUAGE_CODE)
    fallback = next((url for code, url in pairs if code == default), pairs[0][1])
    return [{"lang_code": hreflang(code), "location": url} for code, url in pairs] + [
        {"lang_code": "x-default", "location": fallback}
    ]


def page_alternate_urls(page, request=None):
    """[(language code, absolute URL)] of the live, public translations of
    `page` (itself included); empty when `page` is not live and public
    itself (a draft, a preview, a private page)."""
    translations = restrictions.public(
        page.get_translations(inclusive=True).live()
    ).select_related("locale")
    pairs, found = [], False
    for translated in translations:
        url = translated.get_full_url(request)
        if url:
            pairs.append((translated.locale.language_code, url))
            found = found or translated.pk == page.pk
    return pairs if found else []


def path_alternate_urls(request):
    """[(language code, absolute URL)] of the request's path in every language
    of settings.LANGUAGES, for views under `i18n_patterns` (a member's page,
    the community feed); empty for paths without a language prefix."""
    if request is None:
        return []
    root = site_root_url(request)
    urls = {
        code: translate_url(request.path, code) for code, _name in settings.LANGUAGES
    }
    if len(set(urls.values())) < len(urls):
        return []
    return [(code, root + path) for code, path in urls.items()]


def alternates(request, obj=None):
    """The `hreflang` alternates of `obj` (with `x-default`): a Wagtail page's
    translations, an object's `get_alternate_urls(request)`, or without
    `obj` the request's path in every language."""
    if obj is None:
        pairs = path_alternate_urls(request)
    elif isinstance(obj, Page):
        pairs = page_alternate_urls(obj, request)
    elif hasattr(obj, "get_alternate_urls"):
        pairs = obj.get_alternate_urls(request)
    else:
        pairs = []
    return with_x_default(pairs)


# Meta descriptions.

#: Length of a meta description, as search engines show it.
DESCRIPTION_LENGTH = 160


def description(obj, length=DESCRIPTION_LENGTH):
    """A meta description of `obj`, at most `length` characters: its
    `get_meta_description()`, a page's `page_description`, or a Shareable's
    summary (each plain text)."""
    if hasattr(obj, "get_meta_description"):
        text = obj.get_meta_description()
    elif isinstance(obj, Page):
        text = page_description(obj)
    elif hasattr(obj, "get_share_description"):
        text = obj.get_share_description()
    else:
        text = ""
    return Truncator(" ".join(str(text or "").split())).chars(length)
