"""What every publisher shares: the message, the typed errors, the HTTP call
with strict timeouts, and how a post's text is put together.

A publisher posts one message to one own-media account and returns the
remote post's id and URL, or raises one of the `PublishError` subclasses
below, whose message says in plain words what the platform answered."""

import dataclasses
import datetime
import email.utils
import json

import requests
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .. import app_settings


class PublishError(Exception):
    """The platform did not take the post. `retryable`: trying again later
    may work (and cannot post twice)."""

    retryable = False
    code = "error"

    def __init__(self, message, *, detail=""):
        super().__init__(str(message))
        self.message = str(message)
        self.detail = str(detail)[:500]


class RateLimited(PublishError):
    retryable = True
    code = "rate_limited"

    def __init__(self, message="", *, retry_after=None, detail=""):
        super().__init__(
            message or _("The platform limits how often we may post; try later."),
            detail=detail,
        )
        #: Seconds the platform asked us to wait, if it said.
        self.retry_after = retry_after


class TokenExpired(PublishError):
    """The access token is expired or invalid (and could not be refreshed)."""

    code = "token"


class MalformedResponse(PublishError):
    """An answer we cannot read: the post may or may not exist."""

    code = "malformed"


class PublishTimeout(PublishError):
    """No answer in time. Retryable when the request never reached the
    platform (connect timeout) or the platform ignores repeats (an
    idempotency key)."""

    code = "timeout"

    def __init__(self, message, *, retryable=False, detail=""):
        super().__init__(message, detail=detail)
        self.retryable = retryable


class Rejected(PublishError):
    """The platform refused the content (too long, duplicate, not allowed)."""

    code = "rejected"


class Unavailable(PublishError):
    """The platform is down or answered with a server error."""

    retryable = True
    code = "unavailable"


class NotConfigured(PublishError):
    """The account lacks what the platform needs (a token, an address)."""

    code = "config"


@dataclasses.dataclass
class Message:
    """What to post. `text` is the full text (hashtags and the tagged link
    included); `link` the tagged link alone; `image` a callable returning
    (file name, bytes, content type) or None; `key` a stable id of this post
    (idempotency key where the platform takes one)."""

    text: str
    link: str = ""
    title: str = ""
    summary: str = ""
    image: object = None
    key: str = ""

    def image_file(self):
        return self.image() if callable(self.image) else None


@dataclasses.dataclass
class Result:
    remote_id: str
    remote_url: str = ""


def new_session():
    """The default HTTP session of the publishers."""
    session = requests.Session()
    session.headers["User-Agent"] = "Socialsite-publisher/1"
    return session


def session():
    return import_string(app_settings.PUBLISH_SESSION)()


def retry_after(response):
    """Seconds from a Retry-After header (seconds or an HTTP date), or None."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(int(value), 86400)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return max(0, min(int((when - timezone.now()).total_seconds()), 86400))


class Publisher:
    """Posts to one platform. Subclasses set the attributes and implement
    `send`. One instance per call; `self.session` is the HTTP session."""

    #: The platform's default API address (SHARING_PUBLISH_API_BASES overrides).
    api_base = ""
    #: URL template of a post's page: {id}, {user}.
    post_url = ""
    #: Longest text the platform takes (characters), None: no limit we know.
    max_length = None
    #: How many characters the platform counts for a link (X: 23), None: its
    #: own length.
    link_length = None
    #: How a hashtag is written ("{}" is the tag).
    hashtag_format = "#{}"
    #: Whether the link goes into the text (else it is sent apart).
    link_in_text = True
    #: The account's fields the platform needs.
    needs = ("access_token",)
    #: Whether the platform ignores a repeated request with the same key.
    idempotent = False

    def __init__(self, platform):
        self.platform = platform
        self._session = None

    @property
    def session(self):
        if self._session is None:
            self._session = session()
        return self._session

    def base(self, account=None):
        configured = app_settings.PUBLISH_API_BASES.get(self.platform.id)
        base = configured or self.api_base
        return base.rstrip("/")

    def remote_url(self, remote_id, user=""):
        template = app_settings.PUBLISH_POST_URLS.get(self.platform.id, self.post_url)
        if not template or not remote_id:
            return ""
        return template.format(id=remote_id, user=user)

    # Composing the text.

    def hashtags(self, tags):
        return " ".join(
            self.hashtag_format.format(tag.strip().lstrip("#").replace(" ", ""))
            for tag in tags
            if tag.strip().lstrip("#")
        )

    def compose(self, text, tags=(), link=""):
        """The text as posted: the editor's text, the hashtags, the link."""
        parts = [text.strip(), self.hashtags(tags)]
        if link and self.link_in_text:
            parts.append(link)
        return "\n\n".join(part for part in parts if part)

    def length(self, composed, link=""):
        """The length the platform counts."""
        if self.link_length is not None and link and link in composed:
            return len(composed) - len(link) + self.link_length
        return len(composed)

    def missing(self, account):
        """The names of the account's fields this platform needs but lacks."""
        return [name for name in self.needs if not getattr(account, name, "")]

    # Publishing.

    def publish(self, account, message):
        missing = self.missing(account)
        if missing:
            raise NotConfigured(
                _("The account lacks: %(fields)s.") % {"fields": ", ".join(missing)}
            )
        return self.send(account, message)

    def send(self, account, message):
        raise NotImplementedError

    def request(self, method, url, **kwargs):
        """One HTTP call with the timeouts; network failures become typed
        errors. The caller reads the answer."""
        kwargs.setdefault("timeout", app_settings.PUBLISH_TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        try:
            return self.session.request(method, url, **kwargs)
        except requests.ConnectTimeout as error:
            raise PublishTimeout(
                _("The platform did not answer in time."),
                retryable=True,
                detail=error,
            ) from error
        except requests.Timeout as error:
            raise PublishTimeout(
                _(
                    "The platform did not answer in time; the post may have "
                    "gone out. Check the account before trying again."
                ),
                retryable=self.idempotent,
                detail=error,
            ) from error
        except requests.RequestException as error:
            raise Unavailable(
                _("The platform could not be reached."), detail=error
            ) from error

    def json(self, response):
        """The answer's JSON object, or MalformedResponse."""
        try:
            data = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            if response.status_code == 429 or response.status_code >= 500:
                self.check_status(response)
            raise MalformedResponse(
                _("The platform's answer could not be read."),
                detail=response.content[:200],
            ) from error
        if not isinstance(data, dict):
            raise MalformedResponse(
                _("The platform's answer could not be read."), detail=data
            )
        return data

    def read(self, response):
        """The answer's JSON object after the HTTP status was checked."""
        try:
            data = self.json(response)
        except MalformedResponse:
            if response.status_code >= 400:
                self.check_status(response)
            raise
        self.check_status(response, data)
        return data

    def check_status(self, response, data=None):
        """The errors every HTTP API signals the same way."""
        status = response.status_code
        detail = data if data is not None else response.content[:300]
        if status == 429:
            raise RateLimited(retry_after=retry_after(response), detail=detail)
        if status == 401:
            raise TokenExpired(
                _("The platform refused the access token (expired or revoked)."),
                detail=detail,
            )
        if status >= 500:
            raise Unavailable(
                _("The platform had a server error (%(status)s).") % {"status": status},
                detail=detail,
            )
        if status >= 400:
            raise Rejected(
                _("The platform refused the post (%(status)s): %(reason)s")
                % {"status": status, "reason": self.reason(data) or status},
                detail=detail,
            )

    def reason(self, data):
        """The platform's own words for an error, from its JSON answer."""
        if not isinstance(data, dict):
            return ""
        for key in ("error_description", "detail", "error", "message", "errmsg"):
            value = data.get(key)
            if isinstance(value, str) and value:
                return value[:200]
        return ""

    def remote_id(self, value):
        """A remote id as a short string, or MalformedResponse."""
        if isinstance(value, bool) or not isinstance(value, str | int) or not value:
            raise MalformedResponse(
                _("The platform's answer has no post id."), detail=value
            )
        return str(value)[:200]


class OAuth2Publisher(Publisher):
    """A platform with OAuth 2 user tokens that a refresh token renews: the
    token is renewed when it expires within a minute, or when the platform
    refuses it, once, and the new tokens are saved (encrypted) on the
    account."""

    #: Path of the token endpoint under `refresh_base()`.
    refresh_path = ""
    #: Send the client id and secret as HTTP basic authentication (else in
    #: the form).
    refresh_basic_auth = False

    def refresh_base(self):
        return self.base()

    def send(self, account, message):
        if account.refresh_token and account.token_expires_soon():
            self.refresh(account)
        try:
            return self.send_with_token(account, message)
        except TokenExpired:
            if not account.refresh_token:
                raise
            self.refresh(account)
            return self.send_with_token(account, message)

    def send_with_token(self, account, message):
        raise NotImplementedError

    def refresh(self, account):
        form = {"grant_type": "refresh_token", "refresh_token": account.refresh_token}
        auth = None
        if self.refresh_basic_auth and account.client_secret:
            auth = (account.client_id, account.client_secret)
            form["client_id"] = account.client_id
        else:
            form.update(
                client_id=account.client_id, client_secret=account.client_secret
            )
        response = self.request(
            "POST", self.refresh_base() + self.refresh_path, data=form, auth=auth
        )
        data = self.json(response) if response.content else {}
        if response.status_code in {400, 401}:
            raise TokenExpired(
                _(
                    "The access token expired and the refresh token was refused; "
                    "authorise the account again."
                ),
                detail=data,
            )
        self.check_status(response, data)
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise MalformedResponse(
                _("The platform's answer has no access token."), detail=data
            )
        expires_in = data.get("expires_in")
        account.store_tokens(
            access_token=token,
            refresh_token=data.get("refresh_token") or account.refresh_token,
            expires_in=expires_in if isinstance(expires_in, int) else None,
        )
