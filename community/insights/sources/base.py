"""What every listening connector shares: the :class:`Connector` base class,
the :class:`Item` it returns, its errors, and one strict HTTP GET.

A connector fetches one :class:`~community.insights.models.Source` and returns
plain :class:`Item` objects; storing them (dedupe, sanitizing, matching) is the
job of :mod:`community.insights.ingest`, never the connector's. A connector
raises :class:`SourceError` (or :class:`RateLimited`) with a plain-words reason
that the admin shows on the source.
"""

import datetime
import email.utils
import html
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import nh3
import requests
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.insights import app_settings

from .network import AddressRefused, session

# Control characters (NUL included) but not tab and newline.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TEXT = 10_000
MAX_TITLE = 300
MAX_HANDLE = 150
MAX_URL = 500


class SourceError(Exception):
    """A fetch failed; the message says why in plain words."""


class RateLimited(SourceError):
    """The service asked to wait (HTTP 429 or 503 with Retry-After)."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Item:
    """One post, article or comment found outside the site. `text` and
    `title` may hold HTML: they are sanitized when stored."""

    text: str
    published_at: datetime.datetime | None = None
    url: str = ""
    title: str = ""
    author_handle: str = ""
    author_name: str = ""
    language: str = ""
    reach: int | None = None
    external_id: str = ""


@dataclass
class FetchResult:
    items: list = field(default_factory=list)
    # The new conditional-GET state and cursor ("" keeps nothing).
    etag: str = ""
    last_modified: str = ""
    cursor: str = ""
    not_modified: bool = False


class Connector:
    """A kind of listening source. Subclasses set `id` (a lowercase slug that
    never changes: it is stored on each source), `name`, `config_fields` (the
    keys of the source's settings the admin form asks for, with their labels)
    and implement :meth:`fetch`. Sources of a connector with `fetches = False`
    (imports, inbound webhooks) receive items instead of fetching them."""

    id = ""
    name = ""
    fetches = True
    # (key, label, required) of the source's settings.
    config_fields = ()
    help = ""

    def fetch(self, source):
        """A :class:`FetchResult` for `source`; raises :class:`SourceError`."""
        raise NotImplementedError

    def validate_config(self, config):
        """A list of plain-words problems with `config` (empty when fine)."""
        problems = []
        for key, label, required in self.config_fields:
            value = config.get(key, "")
            if required and not str(value).strip():
                problems.append(_("%(field)s is required.") % {"field": label})
            if key.endswith("url") and value and not is_http_url(str(value)):
                problems.append(
                    _("%(field)s must be an http(s) address.") % {"field": label}
                )
        return problems

    def __str__(self):
        return str(self.name)


def is_http_url(value):
    return (
        bool(re.match(r"^https?://[^\s/]+", value or "", re.I)) and len(value) <= 2000
    )


def same_origin(url, other):
    """True when `url` has the scheme, host and port of `other`: a page link
    from a source's answer may not send the fetch to another server."""
    try:
        a, b = urlsplit(url), urlsplit(other)
        return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)
    except ValueError:
        return False


def retry_after(value):
    """Seconds from a Retry-After header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(int(value), 86400)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return max(0, min(int((when - timezone.now()).total_seconds()), 86400))


def get(url, *, params=None, headers=None, max_bytes=None, timeout=None):
    """GET `url` with a strict total deadline and size limit: a slow or
    hanging server costs at most COMMUNITY_INSIGHTS_FETCH_TIMEOUT seconds, a
    huge answer at most COMMUNITY_INSIGHTS_FETCH_MAX_BYTES. Returns
    (response, body bytes); a 304 returns an empty body. Raises
    :class:`RateLimited` on 429 (and 503 with Retry-After), :class:`SourceError`
    on any other failure."""
    timeout = timeout or app_settings.FETCH_TIMEOUT
    max_bytes = max_bytes or app_settings.FETCH_MAX_BYTES
    all_headers = {"User-Agent": app_settings.USER_AGENT, "Accept-Encoding": "gzip"}
    all_headers.update(headers or {})
    deadline = time.monotonic() + timeout
    try:
        response = session().get(
            url,
            params=params,
            headers=all_headers,
            timeout=(min(timeout, 5), timeout),
            stream=True,
            allow_redirects=True,
        )
    except AddressRefused as error:
        raise SourceError(
            _("The address is refused: %(reason)s. Only public addresses are fetched.")
            % {"reason": error}
        ) from error
    except requests.TooManyRedirects as error:
        raise SourceError(_("The server redirects too many times.")) from error
    except requests.Timeout as error:
        raise SourceError(_("The server did not answer in time.")) from error
    except requests.RequestException as error:
        raise SourceError(
            _("The server could not be reached (%(error)s).")
            % {"error": type(error).__name__}
        ) from error
    with response:
        status = response.status_code
        if status == 429 or (status == 503 and "Retry-After" in response.headers):
            raise RateLimited(
                _("The service limits requests (HTTP %(status)s); waiting.")
                % {"status": status},
                retry_after(response.headers.get("Retry-After")),
            )
        if status == 304:
            return response, b""
        if status in (401, 403):
            raise SourceError(
                _("The service refused access (HTTP %(status)s): check the key.")
                % {"status": status}
            )
        if status >= 400:
            raise SourceError(
                _("The server answered HTTP %(status)s.") % {"status": status}
            )
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(16384):
                size += len(chunk)
                if size > max_bytes:
                    raise SourceError(
                        _("The answer is larger than %(size)s bytes.")
                        % {"size": max_bytes}
                    )
                if time.monotonic() > deadline:
                    raise SourceError(_("The server did not answer in time."))
                chunks.append(chunk)
        except requests.RequestException as error:
            raise SourceError(_("The server did not answer in time.")) from error
    return response, b"".join(chunks)


def get_json(url, **kwargs):
    """GET `url` and decode its JSON (a :class:`SourceError` when it is not)."""
    _response, body = get(url, **kwargs)
    try:
        return requests.models.complexjson.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise SourceError(_("The answer is not valid JSON.")) from error


def plain(value, limit=MAX_TEXT):
    """`value` (text or HTML from outside) as plain text: tags dropped (the
    contents of scripts and styles too), entities decoded, control characters
    removed, whitespace runs made single spaces, cut at `limit` characters."""
    if value is None:
        return ""
    value = str(value)[: limit * 4]
    value = html.unescape(nh3.clean(value, tags=set(), attributes={}))
    if "<" in value:
        # Markup escaped once more (feeds often do): strip it too.
        value = html.unescape(nh3.clean(value, tags=set(), attributes={}))
    value = CONTROL.sub("", value)
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def parse_datetime(value):
    """An aware datetime from ISO 8601, an RFC 2822 date or a Unix time;
    None when it cannot be read."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            result = datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    elif isinstance(value, time.struct_time):
        try:
            result = datetime.datetime(*value[:6], tzinfo=datetime.UTC)
        except (TypeError, ValueError):
            return None
    else:
        text = str(value).strip()[:64]
        try:
            result = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:
                result = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
    if result.tzinfo is None:
        result = result.replace(tzinfo=datetime.UTC)
    return result


def as_int(value):
    """A non-negative int from a count of followers or upvotes, else None."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 <= number < 2**62 else None
