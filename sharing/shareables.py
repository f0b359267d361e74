"""What can be shared, and how a share URL names it.

`Shareable` is a protocol mixin (in the spirit of wagtail-metadata): any object
that implements its four `get_share_*` methods gets share buttons, link-preview
meta tags and tracked share links. Pages implement it through
`sharing.models.ShareablePageMixin`; another app's models (e.g. community
posts) implement it themselves and register a resolver under a kind in
SHARING_SHAREABLES, so `sharing` never imports them."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils.module_loading import import_string

from . import app_settings


class Shareable:
    """The protocol. `share_kind` names the resolver in SHARING_SHAREABLES."""

    share_kind = "page"

    def get_share_url(self, request=None):
        """The absolute canonical URL of the object."""
        raise NotImplementedError

    def get_share_title(self):
        raise NotImplementedError

    def get_share_description(self):
        return ""

    def get_share_image(self):
        """A Wagtail image, or None (the site's default image is used then)."""
        return None

    def get_alternate_urls(self, request=None):
        """[(language code, absolute URL)] of the object's versions in other
        languages, itself included: `{% alternate_links %}` turns them into
        hreflang links. Pages need not implement it (their translations are
        used); default: none."""
        return []

    def get_share_key(self):
        """(kind, pk): how share URLs name this object."""
        return self.share_kind, self.pk

    def is_shareable(self, request=None):
        """False for objects that must not get share buttons (private...)."""
        return True

    def share_buttons_enabled(self):
        """Editors can turn the buttons off per object."""
        return True


def resolve(request, kind, pk):
    """The shareable object named by a share URL, or None."""
    path = app_settings.SHAREABLES.get(kind)
    if path is None:
        return None
    obj = import_string(path)(request, pk)
    if obj is None or not isinstance(obj, Shareable):
        return None
    if not obj.is_shareable(request):
        return None
    return obj


def resolve_page(request, pk):
    """A live, public page implementing Shareable, or None."""
    from wagtail.models import Page

    page = Page.objects.live().filter(pk=pk).specific().first()
    return page if isinstance(page, Shareable) else None


def tag_url(url, platform_id):
    """`url` with the UTM tags of a share to `platform_id` (any existing UTM
    tags replaced, other parameters kept, fragment dropped)."""
    parts = urlsplit(url)
    params = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.startswith("utm_")
    ]
    params += [
        ("utm_source", platform_id),
        ("utm_medium", app_settings.UTM_MEDIUM),
        ("utm_campaign", app_settings.UTM_CAMPAIGN),
    ]
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path or "/", urlencode(params), "")
    )
