"""The campaigns app's settings, read on access so `override_settings` works.

Every setting is named COMMUNITY_CAMPAIGNS_<NAME> in the project's settings;
the defaults are documented on each property. Use as::

    from community.campaigns import app_settings
    app_settings.SOME_SETTING
"""

from community.app_settings import BaseAppSettings


class AppSettings(BaseAppSettings):
    prefix = "COMMUNITY_CAMPAIGNS_"

    @property
    def VOTER_MIN_AGE_HOURS(self):
        """Members vote only when their account is at least this many hours
        old. Default: 24 (0: any age)."""
        return self._setting("VOTER_MIN_AGE_HOURS", 24)

    @property
    def VOTER_VERIFIED_EMAIL(self):
        """Members vote only with a confirmed e-mail address. Default: True."""
        return self._setting("VOTER_VERIFIED_EMAIL", True)

    @property
    def PER_PAGE(self):
        """Entries per page of a campaign's gallery. Default: 12."""
        return self._setting("PER_PAGE", 12)

    @property
    def RATE_LIMITS(self):
        """Write limits per action in allauth's notation, merged over the
        defaults: "campaign_vote" 30/m and 500/d per member, 120/m per IP
        address; "survey_response" 5/m per IP address; "referral_visit"
        (visits recorded through a member's link) 30/h per IP address."""
        return {
            "campaign_vote": "30/m/user,500/d/user,120/m/ip",
            "survey_response": "5/m/ip,30/h/ip",
            "referral_visit": "30/h/ip",
            **self._setting("RATE_LIMITS", {}),
        }

    @property
    def FRAUD_NEW_ACCOUNT_HOURS(self):
        """The suspicious-vote report calls accounts younger than this many
        hours (when they voted) new. Default: 72."""
        return self._setting("FRAUD_NEW_ACCOUNT_HOURS", 72)

    @property
    def FRAUD_THRESHOLD(self):
        """How many votes for one entry from new accounts, from one /24
        network (/48 for IPv6), or in one burst window make the report list
        them. Default: 5."""
        return self._setting("FRAUD_THRESHOLD", 5)

    @property
    def FRAUD_BURST_MINUTES(self):
        """The length of a burst window in minutes. Default: 10."""
        return self._setting("FRAUD_BURST_MINUTES", 10)

    @property
    def REFERRAL_COOKIE_DAYS(self):
        """How long a visit through a member's link is remembered (a
        first-party cookie) for a sign-up to be attributed. Default: 30."""
        return self._setting("REFERRAL_COOKIE_DAYS", 30)

    @property
    def REFERRAL_PARAMETER(self):
        """The query parameter of personal share links. Default: "ref"."""
        return self._setting("REFERRAL_PARAMETER", "ref")


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
