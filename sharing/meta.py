"""Link previews: the values of the canonical, Open Graph, Twitter Card and
itemprop tags for a Shareable object."""

from django.utils import translation
from wagtail.models import Site

from .links import absolute_image_url, share_rendition

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
    }
