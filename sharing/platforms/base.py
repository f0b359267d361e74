"""The base class of every platform. One small subclass per platform lives in
its own module next to this one; the registry (`sharing.registry`) builds the
list from the SHARING_PLATFORMS setting."""

from functools import cache
from urllib.parse import quote, urlencode

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.safestring import mark_safe


def query(**params):
    """A query string with every value percent-encoded (spaces as %20, which
    every platform and mail client reads; None values left out)."""
    return urlencode(
        {key: value for key, value in params.items() if value is not None},
        quote_via=quote,
        safe="",
    )


def handle_path(handle):
    """A handle as one URL path segment: "@name" and "name" are the same."""
    return quote(str(handle).strip().lstrip("@"), safe="")


class Platform:
    """A social platform: where visitors share to and where the company has
    accounts. Subclasses set the attributes and override the two URL methods.

    - `id`: a lowercase slug that never changes (stored, used in URLs).
    - `name`: the brand name (not translated) and `color`: its brand colour.
    - `icon`: an SVG file under static/sharing/icons/ (default "<id>.svg").
    - `region`: "cn" or "global", to group platforms in the admin.
    - `share_action`: how the share button behaves in the browser:
      "link" (opens `share_url`), "dialog" (a QR code to scan, e.g. WeChat),
      "copy" (copies the link), "native" (the Web Share API).
    - `login_provider`: allauth's provider id for the same platform, if any.
    - `shares_image`: whether `share_url` uses the `image` argument.
    """

    id = ""
    name = ""
    color = "#555555"
    icon = None
    region = "global"
    share_action = "link"
    login_provider = None
    #: Whether the platform has a share intent (a share button).
    can_share = True
    #: Whether a company can have an account there (a follow link).
    can_follow = True
    #: Whether a follow link is usually a QR code to scan (WeChat, Douyin).
    follow_by_qr = False
    #: Whether the share intent takes a picture URL (saves a lookup otherwise).
    shares_image = False

    def share_url(self, url, title="", summary="", image=""):
        """The platform's share intent for `url`, or None when the platform has
        no web intent (then the button is handled by `share_action`)."""
        return None

    def follow_url(self, handle):
        """The public profile URL of `handle`, or None."""
        return None

    # Presentation helpers, used by the templates.

    @property
    def icon_path(self):
        return f"sharing/icons/{self.icon or self.id + '.svg'}"

    @property
    def icon_url(self):
        return static(self.icon_path)

    @property
    def icon_svg(self):
        """The icon as inline SVG markup (read once per process)."""
        return mark_safe(_read_icon(self.icon_path))  # noqa: S308 (our own files)

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"<{type(self).__name__} {self.id}>"


@cache
def _read_icon(path):
    found = finders.find(path)
    if not found:
        return ""
    with open(found, encoding="utf-8") as handle:
        return handle.read().strip()
