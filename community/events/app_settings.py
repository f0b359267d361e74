"""The events app's settings, read on access so `override_settings` works.

Every setting is named COMMUNITY_EVENTS_<NAME> in the project's settings; the
defaults are documented on each property. Use as::

    from community.events import app_settings
    app_settings.SOME_SETTING
"""

from community.app_settings import BaseAppSettings


class AppSettings(BaseAppSettings):
    prefix = "COMMUNITY_EVENTS_"

    @property
    def PER_PAGE(self):
        """Events per page on an event index. Default: 12."""
        return self._setting("PER_PAGE", 12)

    @property
    def REMINDERS(self):
        """How long before an event its registered members get a reminder, in
        seconds, as {name: seconds}. Default: a day and an hour before
        ({"day": 86400, "hour": 3600}); the names must stay "day" and/or
        "hour" (each has its own "sent" mark)."""
        return self._setting("REMINDERS", {"day": 86400, "hour": 3600})

    @property
    def SURVEY_WITHIN(self):
        """How long after an event ends its post-event survey link is still
        sent, in seconds (so a survey added to an old event does not reach
        its attendees months later). Default: 7 days."""
        return self._setting("SURVEY_WITHIN", 7 * 86400)

    @property
    def RATE_LIMITS(self):
        """Write limits per action in allauth's notation, merged over the
        defaults: "event_registration" (register, cancel) 10/m and 60/d per
        member, 60/h per IP address; "event_check_in" (scans at the door)
        120/m per staff member."""
        return {
            "event_registration": "10/m/user,60/d/user,60/h/ip",
            "event_check_in": "120/m/user",
            **self._setting("RATE_LIMITS", {}),
        }


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
