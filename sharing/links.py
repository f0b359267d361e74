"""Share links: what a share button points to and where the share endpoint
redirects. Everything is built on the server from the object's canonical URL;
nothing comes from the request's query string, and no absolute URL comes from
its Host header: they start with the Wagtail Site's root URL."""

from urllib.parse import urljoin

from django.urls import reverse
from wagtail.models import Site

from . import app_settings, sitedata
from .models import SharingSettings
from .shareables import tag_url


def sharing_settings(request):
    """The site's SharingSettings, loaded once per request (Wagtail caches it
    on the request)."""
    if request is not None:
        return SharingSettings.for_request(request)
    site = Site.objects.filter(is_default_site=True).first()
    return SharingSettings.for_site(site) if site else SharingSettings()


def share_path(platform, obj):
    """The site's share endpoint for `obj` on `platform`."""
    kind, pk = obj.get_share_key()
    return reverse(
        "sharing:share", kwargs={"platform": platform.id, "kind": kind, "pk": pk}
    )


def qr_path(platform, obj):
    kind, pk = obj.get_share_key()
    return reverse(
        "sharing:qr", kwargs={"platform": platform.id, "kind": kind, "pk": pk}
    )


def qr_svg_path(platform, obj):
    kind, pk = obj.get_share_key()
    return reverse(
        "sharing:qr_svg", kwargs={"platform": platform.id, "kind": kind, "pk": pk}
    )


def instance_path(platform, obj):
    """Our page that asks for the visitor's server (share_action "instance")."""
    kind, pk = obj.get_share_key()
    return reverse(
        "sharing:instance", kwargs={"platform": platform.id, "kind": kind, "pk": pk}
    )


def instance_template(platform, obj):
    """The platform's intent on "{instance}", for the script that fills in the
    server the visitor chose (share_action "instance")."""
    url = canonical_url(obj)
    if not url:
        return ""
    return platform.instance_share_url(
        "{instance}",
        tag_url(url, platform.id),
        title=obj.get_share_title(),
        summary=obj.get_share_description(),
    )


def canonical_url(obj):
    """The object's absolute canonical URL, on its Wagtail Site's root URL.
    Asked for without the request on purpose: a URL built for a request takes
    the request's Host header, which the client chooses (and which
    ALLOWED_HOSTS = ["*"] in development does not check), and what the server
    hands to other platforms, QR codes included, must not be shaped by it."""
    return obj.get_share_url()


def site_root_url(request):
    """The root URL ("https://www.example.com") of the request's Wagtail Site
    (the default site for a host no site claims), or ""."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site is not None else ""


def image_url(request, obj):
    """Absolute URL of the object's link-preview rendition, or ""."""
    return absolute_image_url(request, share_rendition(request, obj))


def absolute_image_url(request, rendition):
    """A rendition's URL made absolute on the Site's root URL (storage that
    serves absolute URLs, e.g. a CDN, keeps them)."""
    if rendition is None:
        return ""
    return urljoin(site_root_url(request) + "/", rendition.url)


def share_image(request, obj):
    image = obj.get_share_image()
    if image is None:
        image = sitedata.for_request(request).default_share_image
    return image


def share_rendition(request, obj):
    image = share_image(request, obj)
    if image is None:
        return None
    return image.get_rendition(app_settings.SHARE_IMAGE_FILTER)


def share_target(request, platform, obj, image=None):
    """Where the share endpoint sends the visitor: the platform's intent for
    the object's tagged canonical URL, our own QR page for platforms without
    one (WeChat), or None. `image`: the absolute URL of the link-preview
    picture when the caller knows it (a cached snapshot), else looked up."""
    url = canonical_url(obj)
    if not url:
        return None
    tagged = tag_url(url, platform.id)
    if platform.share_action == "dialog":
        return qr_path(platform, obj)
    if platform.share_action == "instance":
        return instance_path(platform, obj)
    if not platform.shares_image:
        image = ""
    elif image is None:
        image = image_url(request, obj)
    return platform.share_url(
        tagged,
        title=obj.get_share_title(),
        summary=obj.get_share_description(),
        image=image,
    )


def share_buttons(request, obj):
    """The buttons for `obj`: platform, endpoint URL and, for the JavaScript
    enhancements, the tagged URL to copy or share natively. No query: the
    site's buttons come from its cached snapshot (`sharing.sitedata`)."""
    url = canonical_url(obj)
    if not url:
        return []
    buttons = []
    for platform in sitedata.for_request(request).share_platforms():
        buttons.append(
            {
                "platform": platform,
                "href": share_path(platform, obj),
                "action": platform.share_action,
                "tagged_url": tag_url(url, platform.id),
                "qr_svg": (
                    qr_svg_path(platform, obj)
                    if platform.share_action == "dialog"
                    else ""
                ),
                "new_tab": platform.new_tab
                and platform.share_action in {"link", "instance"},
            }
        )
    return buttons


PLACEMENTS = {
    "header": "show_in_header",
    "footer": "show_in_footer",
    "follow": "show_in_follow_block",
}


def follow_accounts(request, where="follow"):
    """The site's own-media accounts shown at `where` (header, footer or
    follow), in the editors' order. No query: they come from the site's
    cached snapshot (`sharing.sitedata`)."""
    field = PLACEMENTS.get(where, "show_in_follow_block")
    accounts = sitedata.for_request(request).follow_accounts()
    return [account for account in accounts if getattr(account, field)]


def assets_once(request, name):
    """True the first time a template asks for the app's CSS/JS in a request."""
    if request is None:
        return True
    emitted = request.__dict__.setdefault("_sharing_assets", set())
    if name in emitted:
        return False
    emitted.add(name)
    return True
