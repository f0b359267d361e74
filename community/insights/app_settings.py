"""The insights app's settings, read on access so `override_settings` works.

Every setting is named COMMUNITY_INSIGHTS_<NAME> in the project's settings; the defaults
are documented on each property. Use as::

    from community.insights import app_settings
    app_settings.SOME_SETTING
"""

from community.app_settings import BaseAppSettings
from community.insights.sources import BUILTIN_CONNECTORS


class AppSettings(BaseAppSettings):
    prefix = "COMMUNITY_INSIGHTS_"

    @property
    def LISTENING_RESCAN_DAYS(self):
        """How many days of comments are searched again for mentions after an
        editor changes a keyword group. Default 90."""
        return self._setting("LISTENING_RESCAN_DAYS", 90)

    @property
    def DIGEST_SPIKE_RATIO(self):
        """A keyword group's negative mentions in the digest's period count as
        a spike when they reach this multiple of the previous period's (and at
        least DIGEST_SPIKE_MIN). Default 2."""
        return self._setting("DIGEST_SPIKE_RATIO", 2)

    @property
    def DIGEST_SPIKE_MIN(self):
        """The fewest negative mentions that can make a spike. Default 3."""
        return self._setting("DIGEST_SPIKE_MIN", 3)

    @property
    def CONNECTORS(self):
        """Dotted paths of the listening connector classes (subclasses of
        `community.insights.sources.base.Connector`). Default: every built-in
        one (feeds, Mastodon, Bluesky, Reddit, Weibo, imports, webhook)."""
        return self._setting("CONNECTORS", BUILTIN_CONNECTORS)

    @property
    def API_KEYS(self):
        """{name: secret} of the access tokens sources may use (a source
        stores only the name, never the key). Default {}."""
        return self._setting("API_KEYS", {})

    @property
    def FETCH_TIMEOUT(self):
        """Seconds a fetch of one source may take in all. Default 20."""
        return self._setting("FETCH_TIMEOUT", 20)

    @property
    def FETCH_MAX_BYTES(self):
        """The largest answer read from a source, in bytes. Default 5 MB."""
        return self._setting("FETCH_MAX_BYTES", 5 * 1024 * 1024)

    @property
    def FETCH_MAX_PAGES(self):
        """Pages read from a paginated source in one fetch. Default 5."""
        return self._setting("FETCH_MAX_PAGES", 5)

    @property
    def FETCH_MIN_INTERVAL(self):
        """The shortest interval, in minutes, a source may be given. Default 5."""
        return self._setting("FETCH_MIN_INTERVAL", 5)

    @property
    def FETCH_MAX_BACKOFF(self):
        """The longest wait, in minutes, after repeated failures. Default 1440."""
        return self._setting("FETCH_MAX_BACKOFF", 24 * 60)

    @property
    def ALLOW_PRIVATE_ADDRESSES(self):
        """Let sources fetch private, loopback and other non-public addresses
        (only for tests with fake servers, or a trusted intranet). Default
        False: such an address, also as a redirect hop, is refused."""
        return self._setting("ALLOW_PRIVATE_ADDRESSES", False)

    @property
    def FETCH_SESSION(self):
        """Dotted path of a function returning the requests session of the
        fetches and alert webhooks. Default
        "community.insights.sources.network.new_session" (public addresses
        only)."""
        return self._setting(
            "FETCH_SESSION", "community.insights.sources.network.new_session"
        )

    @property
    def USER_AGENT(self):
        """The User-Agent of the fetches. Default "Socialsite-listening/1.0"."""
        return self._setting("USER_AGENT", "Socialsite-listening/1.0")

    @property
    def IMPORT_MAX_BYTES(self):
        """The largest import file, in bytes. Default 10 MB."""
        return self._setting("IMPORT_MAX_BYTES", 10 * 1024 * 1024)

    @property
    def IMPORT_MAX_ROWS(self):
        """The most rows of one import. Default 50,000."""
        return self._setting("IMPORT_MAX_ROWS", 50_000)

    @property
    def IMPORT_BACKGROUND_ROWS(self):
        """Imports of more rows than this run as a background task with a
        progress page; smaller ones run at once. Default 500."""
        return self._setting("IMPORT_BACKGROUND_ROWS", 500)

    @property
    def WEBHOOK_MAX_BYTES(self):
        """The largest body of an inbound webhook call. Default 1 MB."""
        return self._setting("WEBHOOK_MAX_BYTES", 1024 * 1024)

    @property
    def WEBHOOK_MAX_ITEMS(self):
        """The most items of one inbound webhook call. Default 500."""
        return self._setting("WEBHOOK_MAX_ITEMS", 500)

    @property
    def ALERT_TIMEOUT(self):
        """Seconds an alert's webhook call may take. Default 10."""
        return self._setting("ALERT_TIMEOUT", 10)

    @property
    def RATE_LIMITS(self):
        """Limits of the inbound webhook, in community.ratelimit notation."""
        return self._setting("RATE_LIMITS", {"webhook": "120/m/key,600/m/ip"})


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
