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

    # Comments (see docs/comments.md).

    @property
    def COMMENTS_ALLOW_ANONYMOUS(self):
        """Let visitors who are not signed in comment; their comments are then
        confirmed by e-mail (comments-xtd's confirmation). Default: False."""
        return self._setting("COMMENTS_ALLOW_ANONYMOUS", False)

    @property
    def COMMENTS_MAX_LENGTH(self):
        """Most characters in one comment (Markdown source). Default: 2000."""
        return self._setting("COMMENTS_MAX_LENGTH", 2000)

    @property
    def COMMENTS_PER_PAGE(self):
        """Top-level threads shown per page ("Load more" fetches the next).
        Default: 20."""
        return self._setting("COMMENTS_PER_PAGE", 20)

    @property
    def COMMENTS_EDIT_WINDOW(self):
        """Seconds during which authors may edit their comment. Default: 900."""
        return self._setting("COMMENTS_EDIT_WINDOW", 15 * 60)

    @property
    def COMMENTS_PREMODERATE_MODELS(self):
        """ "app_label.model" names whose comments always wait for a moderator,
        e.g. ["website.productpage"]. Default: none."""
        return [
            name.lower() for name in self._setting("COMMENTS_PREMODERATE_MODELS", [])
        ]

    @property
    def COMMENTS_TRUSTED_AFTER(self):
        """Members with fewer approved comments than this are pre-moderated.
        Default: 0 (nobody is held for being new)."""
        return self._setting("COMMENTS_TRUSTED_AFTER", 0)

    @property
    def COMMENTS_BLOCKLIST(self):
        """Words and patterns that send a comment to the queue. A word matches
        on word boundaries, case-insensitively; a word with Chinese (CJK)
        characters matches anywhere; an entry starting with "re:" is a regular
        expression. Default: none."""
        return self._setting("COMMENTS_BLOCKLIST", [])

    @property
    def COMMENTS_MAX_LINKS(self):
        """Comments with more links than this go to the queue. Default: 2."""
        return self._setting("COMMENTS_MAX_LINKS", 2)

    @property
    def COMMENTS_DUPLICATE_WINDOW(self):
        """Seconds within which the same text from the same author is a
        duplicate: refused on the same page, held on another. Default: 86400."""
        return self._setting("COMMENTS_DUPLICATE_WINDOW", 24 * 60 * 60)

    @property
    def COMMENTS_RATE_LIMITS(self):
        """Rate limits as "count/period" (s, m, h, d) for writes per member and
        per IP address. Default: comments 5/m and 30/h per member, 20/h per
        IP; reactions (likes, flags, follows) 60/m per member and per IP."""
        return {
            "comment_member": "5/m",
            "comment_member_hour": "30/h",
            "comment_ip": "20/h",
            "reaction_member": "60/m",
            "reaction_ip": "120/m",
            **self._setting("COMMENTS_RATE_LIMITS", {}),
        }

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

    # Posts on community boards (see README, "Community boards and posts").

    @property
    def POSTS_PRODUCT_MODELS(self):
        """ "app_label.model" names of the page types a post may be about (reviews
        rate them), e.g. ["website.productpage"]. Default: none (no product
        link)."""
        return [name.lower() for name in self._setting("POSTS_PRODUCT_MODELS", [])]

    @property
    def POSTS_MAX_IMAGES(self):
        """Most pictures in one post. Default: 9."""
        return self._setting("POSTS_MAX_IMAGES", 9)

    @property
    def POSTS_IMAGE_MAX_UPLOAD_SIZE(self):
        """Largest picture upload in bytes. Default 10 MB."""
        return self._setting("POSTS_IMAGE_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)

    @property
    def POSTS_IMAGE_MAX_PIXELS(self):
        """Largest picture upload in pixels (width × height). Default 40
        million."""
        return self._setting("POSTS_IMAGE_MAX_PIXELS", 40_000_000)

    @property
    def POSTS_MAX_LENGTH(self):
        """Most characters in a post's text (Markdown source). Default: 10000."""
        return self._setting("POSTS_MAX_LENGTH", 10_000)

    @property
    def POSTS_PER_PAGE(self):
        """Posts per page on boards, the feed and profiles. Default: 12."""
        return self._setting("POSTS_PER_PAGE", 12)

    @property
    def POSTS_TRUSTED_AFTER(self):
        """Members with at least this many published posts skip a board's
        pre-moderation. Default: 3 (0: nobody skips it)."""
        return self._setting("POSTS_TRUSTED_AFTER", 3)

    @property
    def POSTS_RATE_LIMITS(self):
        """Rate limits for new and edited posts ("count/period"), per member
        and per IP address. Default: 3/m and 20/d per member, 30/h per IP."""
        return {
            "post_member": "3/m",
            "post_member_day": "20/d",
            "post_ip": "30/h",
            **self._setting("POSTS_RATE_LIMITS", {}),
        }

    @property
    def POSTS_BOT_PATTERN(self):
        """A regular expression matched against the User-Agent: matching
        visitors do not count as views. Default: common crawlers and tools."""
        return self._setting(
            "POSTS_BOT_PATTERN",
            r"bot|crawl|spider|slurp|preview|fetch|curl|wget|python|java/|"
            r"headless|monitor|scan|http-client|facebookexternalhit|embedly",
        )

    # Insights

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
