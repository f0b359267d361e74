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


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
