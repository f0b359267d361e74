"""The insights app's settings, read on access so `override_settings` works.

Every setting is named COMMUNITY_INSIGHTS_<NAME> in the project's settings; the defaults
are documented on each property. Use as::

    from community.insights import app_settings
    app_settings.SOME_SETTING
"""

from community.app_settings import BaseAppSettings


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


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
