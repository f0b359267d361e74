"""Absolute URLs and the site's name, by one rule: the Wagtail Site's root URL
(Settings → Sites: host name and port; `load_demo_data --site-url` sets it in
the demo) and its site name. Everything the apps hand out of the page —
e-mails, feeds, link previews, structured data — starts with it; never with
the request's Host header (which the client chooses) nor with
django.contrib.sites' "example.com"."""

from urllib.parse import urlsplit

from wagtail.models import Site


def wagtail_site(request=None, page=None):
    """The Site of `page`, else the Site of `request` (the default site for a
    host no site claims), else the default site; None without any site."""
    site = None
    if page is not None and hasattr(page, "get_site"):
        site = page.get_site()
    if site is None and request is not None:
        site = Site.find_for_request(request)
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    return site


def site_root_url(request=None, page=None):
    """The root URL, e.g. "https://www.example.com" (no trailing slash)."""
    site = wagtail_site(request, page)
    return site.root_url if site is not None else ""


def absolute_url(url, request=None, page=None):
    """`url` ("/en/news/") on the Site's root URL; an absolute URL (or "") is
    returned as it is."""
    if not url or urlsplit(url).scheme or url.startswith("//"):
        return url
    return site_root_url(request, page) + "/" + url.lstrip("/")


def on_site_root(url, request):
    """`url` built on the request's host (`request.build_absolute_uri`, as
    allauth does) moved to the Site's root URL; any other URL unchanged."""
    if not url or request is None:
        return url
    own = f"{request.scheme}://{request.get_host()}"
    if url == own or url.startswith(own + "/"):
        return site_root_url(request) + url[len(own) :]
    return url


def site_name(request=None, page=None):
    """The Site's name, else its host name."""
    site = wagtail_site(request, page)
    if site is None:
        return ""
    return site.site_name or site.hostname


class SiteInfo:
    """The Wagtail Site in the shape that templates written for
    django.contrib.sites read (`name`, `domain`), plus its `root_url`: for
    allauth's and comments-xtd's e-mails."""

    def __init__(self, site):
        self.name = (site.site_name or site.hostname) if site else ""
        self.root_url = site.root_url if site else ""
        self.domain = urlsplit(self.root_url).netloc

    @classmethod
    def for_request(cls, request=None):
        return cls(wagtail_site(request))

    def __str__(self):
        return self.name
