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
    def LANGUAGE_SHARE_PLATFORMS(self):
        """{language code: platform ids}: the default share buttons of pages in
        a language, on a site whose editors have not chosen any (a language
        without an entry gets SHARING_DEFAULT_SHARE_PLATFORMS). "zh" serves
        "zh-hans" too. Default: WeChat, Weibo, QQ and Douban first in Chinese;
        X, Facebook, LinkedIn and WhatsApp first in English."""
        return self._setting(
            "LANGUAGE_SHARE_PLATFORMS",
            {
                "zh-hans": [
                    "wechat",
                    "weibo",
                    "qq",
                    "douban",
                    "qzone",
                    "email",
                    "copy",
                    "native",
                ],
                "en": [
                    "x",
                    "facebook",
                    "linkedin",
                    "whatsapp",
                    "mastodon",
                    "email",
                    "copy",
                    "native",
                ],
            },
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
    def ITEMPROP_META(self):
        """Add schema.org `itemprop` meta tags (name, description, image) to
        `{% share_meta %}`: QQ's link previews read them. They are valid HTML
        only inside an item, so turn this on only when the base template's
        `<html>` element carries `itemscope itemtype="https://schema.org/WebPage"`.
        Default False."""
        return self._setting("ITEMPROP_META", False)

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
        """The cache shared by every worker (use Redis in production) that holds
        WeChat's access token and jsapi_ticket, what the share endpoint knows of
        shared objects, the marks that count a visitor's repeats once and, with
        the Redis counter backend, the counts waiting to be flushed."""
        return self._setting("CACHE_ALIAS", "default")

    @property
    def COUNTER_BACKEND(self):
        """Dotted path of the class that counts share clicks and share-driven
        visits. Default: `sharing.counters.redis.RedisCounterBackend` when the
        SHARING_CACHE_ALIAS cache is django-redis (counts in Redis, flushed to
        the database in batches by a background task), else
        `sharing.counters.database.DatabaseCounterBackend` (one upsert per
        count)."""
        backend = settings.CACHES.get(self.CACHE_ALIAS, {}).get("BACKEND", "")
        default = (
            "sharing.counters.redis.RedisCounterBackend"
            if backend.startswith("django_redis.")
            else "sharing.counters.database.DatabaseCounterBackend"
        )
        return self._setting("COUNTER_BACKEND", default)

    @property
    def COUNTER_FLUSH_INTERVAL(self):
        """Seconds between the first count of a batch and its flush to the
        database (Redis counter backend): how far reports may lag."""
        return self._setting("COUNTER_FLUSH_INTERVAL", 5)

    @property
    def SHARE_CACHE_TIMEOUT(self):
        """Seconds the share endpoint keeps what it knows of a shared object
        (URL, title, summary, picture, whether it may be shared). Publishing,
        unpublishing, moving or deleting a page, view restrictions, sites,
        sharing settings, images and `sharing.signals.shareable_changed`
        clear it at once; the timeout bounds changes made without signals."""
        return self._setting("SHARE_CACHE_TIMEOUT", 60)

    @property
    def SHARE_LOCAL_SECONDS(self):
        """Seconds each process also keeps a snapshot in memory (a click then
        costs only the counter's round trip); other processes see a change
        within that time. 0 turns it off."""
        return self._setting("SHARE_LOCAL_SECONDS", 1)

    # The page cache (sharing.pagecache): anonymous visitors' pages.

    @property
    def PAGE_CACHE(self):
        """Serve anonymous visitors' pages from the cache (with
        `sharing.pagecache.middleware.PageCacheMiddleware` installed). False
        turns the cache, its CDN headers and its invalidation off. Default
        True."""
        return self._setting("PAGE_CACHE", True)

    @property
    def PAGE_CACHE_ALIAS(self):
        """The cache that holds the pages (Redis in production, so every worker
        shares them and their invalidation). Default: SHARING_CACHE_ALIAS."""
        return self._setting("PAGE_CACHE_ALIAS", self.CACHE_ALIAS)

    @property
    def PAGE_CACHE_TIMEOUT(self):
        """Seconds a page stays in the cache at most; changes that show on it
        take it out sooner (docs/production.md lists them). Likes, view and
        share counts are refreshed at this pace. Default 600."""
        return self._setting("PAGE_CACHE_TIMEOUT", 600)

    @property
    def PAGE_CACHE_MAX_AGE(self):
        """`max-age` of cached pages: how long a browser may keep one without
        asking again. Default 60."""
        return self._setting("PAGE_CACHE_MAX_AGE", 60)

    @property
    def PAGE_CACHE_S_MAXAGE(self):
        """`s-maxage` of cached pages: how long a CDN or proxy may keep one
        (Wagtail's frontend cache purges it sooner when it changes). At most
        an hour: the comment form's timestamp expires after two. Default
        300."""
        return self._setting("PAGE_CACHE_S_MAXAGE", 300)

    @property
    def PAGE_CACHE_IGNORED_PARAMETERS(self):
        """Query-string parameters that never change a page, only say where the
        visitor came from: left out of the cache key and of the request the
        page is rendered from (share tracking still reads them). A name ending
        in `*` is a prefix. Default: UTM tags, ad click ids and the ones
        WeChat adds to shared links."""
        return self._setting(
            "PAGE_CACHE_IGNORED_PARAMETERS",
            [
                "utm_*",
                "fbclid",
                "gclid",
                "msclkid",
                "from",
                "isappinstalled",
                "scene",
                "clicktime",
                "enterid",
            ],
        )

    @property
    def PAGE_CACHE_VARIANTS(self):
        """Dotted paths of functions `(request) -> str or bool` whose answers
        split the cache, for pages that differ by something other than the URL
        and language. Default: WeChat's own browser, whose share buttons
        differ."""
        return self._setting("PAGE_CACHE_VARIANTS", ["sharing.wechat.in_wechat"])

    @property
    def PAGE_CACHE_SKIP_PATHS(self):
        """Path prefixes (after any language prefix) of views that are never
        cached: the middleware does not even look them up, which saves a cache
        round trip on hot endpoints. Default (None): the prefix sharing's URLs
        are included under (the share endpoint, "/share/" in the demo)."""
        return self._setting("PAGE_CACHE_SKIP_PATHS", None)

    @property
    def PAGE_CACHE_BYPASS_COOKIES(self):
        """Cookies whose presence makes a request personal: it is never served
        from the cache nor stored. Default: the session and messages cookies
        (every signed-in visitor has a session)."""
        return self._setting(
            "PAGE_CACHE_BYPASS_COOKIES", [settings.SESSION_COOKIE_NAME, "messages"]
        )

    # Publishing to own media (sharing.publishing, sharing.publishers).

    @property
    def CREDENTIALS_KEYS(self):
        """Fernet keys (url-safe base64, 32 bytes) that encrypt the own-media
        accounts' tokens and secrets, the newest first: values are encrypted
        with the first and read with any (`sharing.credentials`). Default:
        keys derived from SECRET_KEY and SECRET_KEY_FALLBACKS."""
        return self._setting("CREDENTIALS_KEYS", [])

    @property
    def PUBLISH_API_BASES(self):
        """{platform id: base URL} replacing a publisher's API address (tests
        and the demo's sandbox point them at imitation servers). Mastodon and
        the webhook take theirs from the account."""
        return self._setting("PUBLISH_API_BASES", {})

    @property
    def PUBLISH_POST_URLS(self):
        """{platform id: URL template} of a published post's page, with
        `{id}` (the remote post's id) and `{user}` (the account's handle or
        the user id the platform answered), replacing the publisher's
        default."""
        return self._setting("PUBLISH_POST_URLS", {})

    @property
    def PUBLISH_SESSION(self):
        """Dotted path of a function returning the `requests.Session` that
        publishers call the platforms with."""
        return self._setting("PUBLISH_SESSION", "sharing.publishers.base.new_session")

    @property
    def PUBLISH_TIMEOUT(self):
        """(connect, read) seconds for every call to a platform's API."""
        return tuple(self._setting("PUBLISH_TIMEOUT", (5, 20)))

    @property
    def PUBLISH_MAX_TRIES(self):
        """How often a post is tried before it is marked failed."""
        return self._setting("PUBLISH_MAX_TRIES", 5)

    @property
    def PUBLISH_RETRY_DELAY(self):
        """Seconds before the first retry; each further retry waits twice as
        long (exponential back-off), at least what a rate limit asked for,
        at most SHARING_PUBLISH_MAX_RETRY_DELAY."""
        return self._setting("PUBLISH_RETRY_DELAY", 60)

    @property
    def PUBLISH_MAX_RETRY_DELAY(self):
        return self._setting("PUBLISH_MAX_RETRY_DELAY", 6 * 3600)

    @property
    def PUBLISH_STUCK_AFTER(self):
        """Seconds after which a post still "sending" (its process ended
        mid-call) is marked failed for an editor to check, by the next
        `publish_own_media` run."""
        return self._setting("PUBLISH_STUCK_AFTER", 15 * 60)

    @property
    def PUBLISH_UTM_CAMPAIGN_PREFIX(self):
        """`utm_campaign` of a published post's link: this prefix and the
        post's id, e.g. "ownmedia-42"."""
        return self._setting("PUBLISH_UTM_CAMPAIGN_PREFIX", "ownmedia-")


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
