"""The sharing app's settings, read on access so `override_settings` works.

Every setting is named SHARING_<NAME> in the project's settings; the defaults
are documented on each property. Use as::

    from sharing import app_settings
    app_settings.SOME_SETTING
"""

from django.conf import settings


class AppSettings:
    prefix = "SHARING_"

    def _setting(self, name, default):
        return getattr(settings, self.prefix + name, default)

    @property
    def PLATFORMS(self):
        """Dotted paths of the `Platform` classes to register, in their default
        order. Default: every built-in platform (`sharing.platforms`)."""
        from .platforms import BUILTIN_PLATFORMS

        return self._setting("PLATFORMS", BUILTIN_PLATFORMS)

    @property
    def DEFAULT_SHARE_PLATFORMS(self):
        """Platform ids shown as share buttons on a site whose editors have not
        chosen any yet (Settings → Sharing)."""
        return self._setting(
            "DEFAULT_SHARE_PLATFORMS",
            ["wechat", "weibo", "qq", "x", "facebook", "linkedin", "email", "copy"],
        )

    @property
    def SHAREABLES(self):
        """Kinds of objects that can be shared: {kind: dotted path of a function
        `(request, pk) -> Shareable or None`}. The kind appears in share URLs
        (`/share/<platform>/<kind>/<pk>/`). Default: Wagtail pages."""
        return self._setting("SHAREABLES", {"page": "sharing.shareables.resolve_page"})

    @property
    def UTM_CAMPAIGN(self):
        """`utm_campaign` of shared links."""
        return self._setting("UTM_CAMPAIGN", "share")

    @property
    def UTM_MEDIUM(self):
        """`utm_medium` of shared links; inbound visits are counted only with it."""
        return self._setting("UTM_MEDIUM", "social")

    @property
    def BOT_USER_AGENTS(self):
        """Regular expression (case-insensitive) matching the user agents of
        crawlers and link-preview bots, whose requests are never counted."""
        return self._setting(
            "BOT_USER_AGENTS",
            r"bot\b|bot/|crawl|spider|slurp|preview|facebookexternalhit|"
            r"facebookcatalog|embedly|whatsapp|telegrambot|skypeuripreview|"
            r"bitlybot|vkshare|quora link|bytespider|yisouspider|sogou|"
            r"360spider|petalbot|headless|curl/|wget/|python-requests|"
            r"python-urllib|httpx|go-http-client|okhttp|java/|scrapy",
        )

    @property
    def SHARE_IMAGE_FILTER(self):
        """Wagtail image filter of link-preview images (1200×630, as Open Graph
        and Twitter Cards recommend)."""
        return self._setting("SHARE_IMAGE_FILTER", "fill-1200x630|format-jpeg")

    @property
    def WECHAT_API_BASE(self):
        """Base URL of WeChat's server API (tests point it at a fake server)."""
        return self._setting("WECHAT_API_BASE", "https://api.weixin.qq.com")

    @property
    def WECHAT_JSSDK_URL(self):
        """WeChat's JS-SDK script, loaded only inside WeChat's browser and only
        on sites that configured an official account."""
        return self._setting(
            "WECHAT_JSSDK_URL", "https://res.wx.qq.com/open/js/jweixin-1.6.0.js"
        )

    @property
    def WECHAT_TIMEOUT(self):
        """Seconds to wait for WeChat's API before giving up (no custom card)."""
        return self._setting("WECHAT_TIMEOUT", 3)

    @property
    def CACHE_ALIAS(self):
        """The cache that holds WeChat's access token and jsapi_ticket, shared by
        every worker (use Redis in production)."""
        return self._setting("CACHE_ALIAS", "default")


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
