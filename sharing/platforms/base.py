"""The base class of every platform. One small subclass per platform lives in
its own module next to this one; the registry (`sharing.registry`) builds the
list from the SHARING_PLATFORMS setting."""

import re
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


_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def instance_host(value):
    """The host name of a visitor's server on a federated platform (Mastodon)
    from what they typed: "mastodon.social", "https://mastodon.social/about",
    "@me@mastodon.social" or "我的.social" (made IDNA). None for anything else:
    no port, user info, IP address or single label; never more than 253
    characters."""
    value = str(value or "").strip().lower()
    if not value or len(value) > 300 or any(ord(c) < 33 for c in value):
        return None
    if "://" in value:
        scheme, _, value = value.partition("://")
        if scheme not in {"http", "https"}:
            return None
        value = value.split("/", 1)[0]
        if "@" in value:
            return None
    elif "@" in value:
        value = value.rsplit("@", 1)[1]
    value = value.split("/", 1)[0].rstrip(".")
    try:
        value = value.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = value.split(".")
    if (
        len(value) > 253
        or len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or labels[-1].isdigit()
    ):
        return None
    return value


class Platform:
    """A social platform: where visitors share to and where the company has
    accounts. Subclasses set the attributes and override the two URL methods.

    - `id`: a lowercase slug that never changes (stored, used in URLs).
    - `name`: the brand name (not translated) and `color`: its brand colour.
    - `icon`: an SVG file under static/sharing/icons/ (default "<id>.svg").
    - `region`: "cn" or "global", to group platforms in the admin.
    - `share_action`: how the share button behaves in the browser:
      "link" (opens `share_url`), "dialog" (a QR code to scan, e.g. WeChat),
      "copy" (copies the link), "native" (the Web Share API), "instance"
      (a federated platform: the intent lives on the visitor's own server,
      asked for on a page of ours and remembered by the browser; see
      `instance_share_url`).
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
    #: Whether the share intent opens in a new tab. False for intents that
    #: open a program on the device (mailto:), which would leave a blank tab.
    new_tab = True
    #: share_action "instance": a server to show as an example.
    instance_example = ""
    #: The `sharing.publishers` class that posts to the company's account
    #: there, or None (no publishing).
    publisher = None

    @property
    def can_publish(self):
        """Whether the site can post to an own-media account here."""
        return self.publisher is not None

    def get_publisher(self):
        return self.publisher(self) if self.publisher else None

    def publish(self, account, message):
        """Post `message` (`sharing.publishers.base.Message`) to `account`
        (an `OwnMediaAccount`): the remote post's `Result` (id and URL), or
        a `sharing.publishers.base.PublishError`."""
        if not self.can_publish:
            raise NotImplementedError(f"{self.id} cannot publish")
        return self.get_publisher().publish(account, message)

    def share_url(self, url, title="", summary="", image=""):
        """The platform's share intent for `url`, or None when the platform has
        no web intent (then the button is handled by `share_action`)."""
        return None

    def follow_url(self, handle):
        """The public profile URL of `handle`, or None."""
        return None

    def instance_share_url(self, instance, url, title="", summary=""):
        """For share_action "instance": the intent on the visitor's server
        `instance` (a host name from `instance_host`), or None."""
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
