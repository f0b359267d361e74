"""The API app's settings, read on access so `override_settings` works.

Every setting is named COMMUNITY_API_<NAME> in the project's settings; the
defaults are documented on each property. Use as::

    from community.api import app_settings
    app_settings.SOME_SETTING
"""

from django.conf import settings

from community.app_settings import BaseAppSettings


class AppSettings(BaseAppSettings):
    prefix = "COMMUNITY_API_"

    @property
    def ANONYMOUS_READ(self):
        """Let requests without an API key or token read the API. Default:
        False (every app identifies itself with a key or a member's token)."""
        return self._setting("ANONYMOUS_READ", False)

    @property
    def PAGE_SIZE(self):
        """Items per page of a list. Default: 20."""
        return self._setting("PAGE_SIZE", 20)

    @property
    def MAX_PAGE_SIZE(self):
        """Most items a client may ask for per page (?page_size=). Default: 100."""
        return self._setting("MAX_PAGE_SIZE", 100)

    @property
    def RATE_LIMITS(self):
        """Limits per action in allauth's notation, merged over the defaults:
        "api_read" 600/m per member or key and 300/m per IP address. Writes
        count under the apps' own limits ("comment", "post", "post_reaction",
        "campaign_vote", "event_registration"), as on the web."""
        return {
            "api_read": "600/m/key,300/m/ip",
            **self._setting("RATE_LIMITS", {}),
        }

    @property
    def WEBHOOK_TIMEOUT(self):
        """Seconds to connect to and hear from a webhook endpoint. Default: 10."""
        return self._setting("WEBHOOK_TIMEOUT", 10)

    @property
    def WEBHOOK_MAX_ATTEMPTS(self):
        """Attempts of one delivery before it is given up. Default: 6."""
        return self._setting("WEBHOOK_MAX_ATTEMPTS", 6)

    @property
    def WEBHOOK_BACKOFF(self):
        """Seconds before the first retry; each next retry waits four times
        longer (30 s, 2 min, 8 min, 32 min, ~2 h). Default: 30."""
        return self._setting("WEBHOOK_BACKOFF", 30)

    @property
    def WEBHOOK_ALLOW_PRIVATE(self):
        """Let webhooks go to private, loopback and link-local addresses (a
        receiver inside the company network, tests). Default: False: only
        public addresses, so an endpoint cannot probe the site's own
        network."""
        return self._setting("WEBHOOK_ALLOW_PRIVATE", False)

    @property
    def SECRET_KEYS(self):
        """Keys that encrypt the webhook secrets at rest (Fernet), newest
        first: rotate by putting a new key in front. Default: one derived
        from SECRET_KEY."""
        return self._setting("SECRET_KEYS", None) or [settings.SECRET_KEY]


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
