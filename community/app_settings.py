"""The community app's settings, read on access so `override_settings` works.

Every setting is named COMMUNITY_<NAME> in the project's settings; the defaults
are documented on each property. Use as::

    from community import app_settings
    app_settings.SOME_SETTING
"""

from django.conf import settings


class AppSettings:
    prefix = "COMMUNITY_"

    def _setting(self, name, default):
        return getattr(settings, self.prefix + name, default)

    # Accounts and profiles

    @property
    def DELETED_ACCOUNT_CONTENT(self):
        """What happens to what a member wrote when they delete their account:
        "anonymise" (kept, shown as by a deleted member, personal data removed)
        or "remove" (deleted). Default "anonymise"."""
        return self._setting("DELETED_ACCOUNT_CONTENT", "anonymise")

    @property
    def AVATAR_MAX_UPLOAD_SIZE(self):
        """Largest avatar upload in bytes. Default 5 MB."""
        return self._setting("AVATAR_MAX_UPLOAD_SIZE", 5 * 1024 * 1024)

    @property
    def AVATAR_MAX_PIXELS(self):
        """Largest avatar upload in pixels (width × height). Default 25 million."""
        return self._setting("AVATAR_MAX_PIXELS", 25_000_000)

    @property
    def RATE_LIMITS(self):
        """Write limits of the community's own forms, in allauth's notation
        ("<amount>/<period>/<ip|user|key>"), merged over the defaults."""
        return {
            "profile_update": "20/m/user,100/h/user",
            "account_export": "5/m/user",
            "account_delete": "5/m/user",
            **self._setting("RATE_LIMITS", {}),
        }


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
