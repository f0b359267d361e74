"""The posts app's settings, read on access so `override_settings` works.

Every setting is named COMMUNITY_POSTS_<NAME> in the project's settings; the defaults
are documented on each property. Use as::

    from community.posts import app_settings
    app_settings.SOME_SETTING
"""

from community.app_settings import BaseAppSettings


class AppSettings(BaseAppSettings):
    prefix = "COMMUNITY_POSTS_"

    @property
    def PRODUCT_MODELS(self):
        """ "app_label.model" names of the page types a post may be about (reviews
        rate them), e.g. ["website.productpage"]. Default: none (no product
        link)."""
        return [name.lower() for name in self._setting("PRODUCT_MODELS", [])]

    @property
    def MAX_IMAGES(self):
        """Most pictures in one post. Default: 9."""
        return self._setting("MAX_IMAGES", 9)

    @property
    def IMAGE_MAX_UPLOAD_SIZE(self):
        """Largest picture upload in bytes. Default 10 MB."""
        return self._setting("IMAGE_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)

    @property
    def IMAGE_MAX_PIXELS(self):
        """Largest picture upload in pixels (width × height). Default 40
        million."""
        return self._setting("IMAGE_MAX_PIXELS", 40_000_000)

    @property
    def MAX_LENGTH(self):
        """Most characters in a post's text (Markdown source). Default: 10000."""
        return self._setting("MAX_LENGTH", 10_000)

    @property
    def PER_PAGE(self):
        """Posts per page on boards, the feed and profiles. Default: 12."""
        return self._setting("PER_PAGE", 12)

    @property
    def TRUSTED_AFTER(self):
        """Members with at least this many published posts skip a board's
        pre-moderation. Default: 3 (0: nobody skips it)."""
        return self._setting("TRUSTED_AFTER", 3)

    @property
    def RATE_LIMITS(self):
        """Write limits per action in allauth's notation
        ("<amount>/<period>/<ip|user|key>", comma-separated), merged over the
        defaults: "post" (new and edited posts) 3/m and 20/d per member, 30/h
        per IP address; "post_reaction" (likes, reports, accepted answers)
        60/m per member, 120/m per IP address."""
        return {
            "post": "3/m/user,20/d/user,30/h/ip",
            "post_reaction": "60/m/user,120/m/ip",
            **self._setting("RATE_LIMITS", {}),
        }


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
