"""The community app's settings, read on access so `override_settings` works.

Every setting is named COMMUNITY_<NAME> in the project's settings; the defaults
are documented on each property. Use as::

    from community import app_settings
    app_settings.SOME_SETTING
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _


class BaseAppSettings:
    """Settings read on access under `prefix`; the community apps' settings
    classes subclass it."""

    prefix = ""

    def _setting(self, name, default):
        return getattr(settings, self.prefix + name, default)


class AppSettings(BaseAppSettings):
    prefix = "COMMUNITY_"

    @property
    def ADAPTER(self):
        """Dotted path of the CommunityAdapter subclass that decides who may
        take part, members' public names and trust, and bots. Default
        "community.adapter.CommunityAdapter"."""
        return self._setting("ADAPTER", "community.adapter.CommunityAdapter")

    @property
    def BOT_PATTERN(self):
        """A regular expression matched against the User-Agent by the
        adapter's is_bot(): matching visitors do not count as views. Default:
        common crawlers and tools."""
        return self._setting(
            "BOT_PATTERN",
            r"bot|crawl|spider|slurp|preview|fetch|curl|wget|python|java/|"
            r"headless|monitor|scan|http-client|facebookexternalhit|embedly",
        )

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
    def PROVIDER_PICTURE_HOSTS(self):
        """Hosts the pictures of social accounts are copied from, over https
        (an http:// URL of these hosts is fetched as https://). A name matches
        itself; a name with a leading dot matches that domain and every name
        under it. Any other host's picture is ignored: the member keeps the
        initial-letter avatar. Default: the picture hosts of the built-in
        providers (WeChat and QQ ".qlogo.cn", Weibo ".sinaimg.cn", GitHub,
        Google, Facebook, X). Add your OpenID Connect provider's."""
        return self._setting(
            "PROVIDER_PICTURE_HOSTS",
            [
                ".qlogo.cn",
                ".sinaimg.cn",
                "avatars.githubusercontent.com",
                ".googleusercontent.com",
                "graph.facebook.com",
                "platform-lookaside.fbsbx.com",
                ".fbcdn.net",
                "pbs.twimg.com",
            ],
        )

    @property
    def PROVIDER_PICTURE_HTTP_HOSTS(self):
        """Hosts (same notation) whose pictures may be fetched over plain http,
        for a provider that serves no https. Default: none."""
        return self._setting("PROVIDER_PICTURE_HTTP_HOSTS", [])

    @property
    def PROVIDER_PICTURE_TIMEOUT(self):
        """Seconds to wait for each connection to, and each read from, a
        picture host. Default 5."""
        return self._setting("PROVIDER_PICTURE_TIMEOUT", 5)

    @property
    def PROVIDER_PICTURE_DEADLINE(self):
        """Seconds a picture fetch may take in all, redirects included.
        Default 15."""
        return self._setting("PROVIDER_PICTURE_DEADLINE", 15)

    @property
    def VIEW_COUNT_WINDOW(self):
        """Seconds during which a visitor's repeated views of a post count once
        (the visitor is known by a hash of their IP address and user agent,
        salted with a key that changes daily; nothing is stored in cookies).
        Default 1800 (30 minutes)."""
        return self._setting("VIEW_COUNT_WINDOW", 30 * 60)

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

    @property
    def SUSPENSION_REASONS(self):
        """key -> text of the reasons a moderator picks when suspending a
        member (the member reads the text in their language: wrap it in
        gettext_lazy), merged over the defaults: "spam", "abuse",
        "off_topic", "impersonation", "illegal". A key mapped to None
        removes a default."""
        reasons = {
            "spam": _("You posted advertising or spam."),
            "abuse": _("You insulted or harassed other members."),
            "off_topic": _("You kept posting things that do not belong here."),
            "impersonation": _("You pretended to be someone else."),
            "illegal": _("You posted content that is against the law."),
            **self._setting("SUSPENSION_REASONS", {}),
        }
        return {key: text for key, text in reasons.items() if text is not None}

    @property
    def BRAND_NAME(self):
        """The name shown on official (brand) replies, passed through gettext
        when shown (so a project's catalogue can translate it). Default: the
        Wagtail site name (WAGTAIL_SITE_NAME)."""
        return self._setting("BRAND_NAME", "") or getattr(
            settings, "WAGTAIL_SITE_NAME", ""
        )

    @property
    def BRAND_LOGO(self):
        """Static path of the logo shown on official replies (SVG or PNG).
        Default: "community/img/brand.svg", a neutral leaf."""
        return self._setting("BRAND_LOGO", "community/img/brand.svg")

    @property
    def BASE_TEMPLATE(self):
        """The site's base template that the account pages (allauth's sign-in,
        sign-up, e-mail, password and connections pages, and the members'
        profile and settings) extend, through the context processor
        "community.context_processors.community". They fill its blocks
        title, extra_css, body_class, content and extra_js, the blocks of a
        `wagtail start` project's base. Default "base.html"."""
        return self._setting("BASE_TEMPLATE", "base.html")


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
