"""What a page's head tells link previews and search engines: the values of
the canonical, Open Graph, Twitter Card and itemprop tags for a Shareable
object; the `hreflang` alternates of a page (its translations) or of any
object; and a plain-text meta description."""

import html
import re

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.text import Truncator
from wagtail.blocks import StreamValue
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from . import app_settings, restrictions
from .links import absolute_image_url, share_rendition, site_root_url

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

_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)
# Tags that end a line of text (a space stands for them); others just go.
_BREAK = re.compile(
    r"<(?:br|hr)\b[^>]*>|</(?:p|div|li|h[1-6]|blockquote|tr|td|th)\s*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")


def plain_text(markup):
    """Text without tags or character references, whitespace collapsed."""
    text = _TAG.sub("", _BREAK.sub(" ", markup))
    return " ".join(html.unescape(text).split())


def first_paragraph(value):
    """The first paragraph of a field's value as plain text: of HTML (a
    RichTextField or RichText), the first `<p>` with text; of plain text, up
    to the first blank line; of a StreamField, the first rich-text block's."""
    if not value:
        return ""
    if isinstance(value, StreamValue):
        for block in value:
            if isinstance(block.value, RichText):
                text = first_paragraph(block.value)
                if text:
                    return text
        return ""
    markup = str(value)
    if isinstance(value, RichText) or _TAG.search(markup):
        for match in _PARAGRAPH.finditer(markup):
            text = plain_text(match.group(1))
            if text:
                return text
        return plain_text(markup)
    for paragraph in re.split(r"\n\s*\n", markup):
        text = " ".join(paragraph.split())
        if text:
            return text
    return ""


def page_description(page):
    """The page's search description, else the first paragraph of the first of
    its `meta_description_fields` with text (default: the fields of its
    `share_description_fallbacks`, then `intro` and `body`)."""
    names = getattr(page, "meta_description_fields", None) or (
        "search_description",
        *getattr(page, "share_description_fallbacks", ()),
        "intro",
        "body",
    )
    for name in dict.fromkeys(names):
        text = first_paragraph(getattr(page, name, ""))
        if text:
            return text
    return ""


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
