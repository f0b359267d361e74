"""The comments app's settings, read on access so `override_settings` works.

Every setting is named COMMUNITY_COMMENTS_<NAME> in the project's settings; the defaults
are documented on each property. Use as::

    from community.comments import app_settings
    app_settings.SOME_SETTING
"""

from django.utils.translation import gettext_lazy as _

from community.app_settings import BaseAppSettings


class AppSettings(BaseAppSettings):
    prefix = "COMMUNITY_COMMENTS_"

    @property
    def ALLOW_ANONYMOUS(self):
        """Let visitors who are not signed in comment; their comments are then
        confirmed by e-mail (comments-xtd's confirmation). Default: False."""
        return self._setting("ALLOW_ANONYMOUS", False)

    @property
    def MAX_LENGTH(self):
        """Most characters in one comment (Markdown source). Default: 2000."""
        return self._setting("MAX_LENGTH", 2000)

    @property
    def PER_PAGE(self):
        """Top-level threads shown per page ("Load more" fetches the next).
        Default: 20."""
        return self._setting("PER_PAGE", 20)

    @property
    def CACHE_TIMEOUT(self):
        """Seconds a rendered comment stays in Django's cache for the next
        viewers who see it the same (its key names everything it shows, so a
        change makes a new entry); 0 renders every comment every time.
        Default: 3600."""
        return self._setting("CACHE_TIMEOUT", 60 * 60)

    @property
    def EDIT_WINDOW(self):
        """Seconds during which authors may edit their comment. Default: 900."""
        return self._setting("EDIT_WINDOW", 15 * 60)

    @property
    def PREMODERATE_MODELS(self):
        """ "app_label.model" names whose comments always wait for a moderator,
        e.g. ["website.productpage"]. Default: none."""
        return [name.lower() for name in self._setting("PREMODERATE_MODELS", [])]

    @property
    def TRUSTED_AFTER(self):
        """Members with fewer approved comments than this are pre-moderated.
        Default: 0 (nobody is held for being new)."""
        return self._setting("TRUSTED_AFTER", 0)

    @property
    def BLOCKLIST(self):
        """Words and patterns that send a comment to the queue. A word matches
        on word boundaries, case-insensitively; a word with Chinese (CJK)
        characters matches anywhere; an entry starting with "re:" is a regular
        expression. Default: none."""
        return self._setting("BLOCKLIST", [])

    @property
    def MAX_LINKS(self):
        """Comments with more links than this go to the queue. Default: 2."""
        return self._setting("MAX_LINKS", 2)

    @property
    def DUPLICATE_WINDOW(self):
        """Seconds within which the same text from the same author is a
        duplicate: refused on the same page, held on another. Default: 86400."""
        return self._setting("DUPLICATE_WINDOW", 24 * 60 * 60)

    @property
    def UNFOLLOW_LINK_MAX_AGE(self):
        """Seconds the unsubscribe link of a reply e-mail keeps working (each
        new e-mail carries a fresh one); None: forever. Default: 365 days."""
        return self._setting("UNFOLLOW_LINK_MAX_AGE", 365 * 24 * 60 * 60)

    @property
    def RATE_LIMITS(self):
        """Write limits per action in allauth's notation
        ("<amount>/<period>/<ip|user|key>", comma-separated), merged over the
        defaults: "comment" (new and edited comments) 5/m and 30/h per member,
        20/h per IP address; "reaction" (likes, flags, follows) 60/m per
        member, 120/m per IP address. An empty string turns a limit off."""
        return {
            "comment": "5/m/user,30/h/user,20/h/ip",
            "reaction": "60/m/user,120/m/ip",
            **self._setting("RATE_LIMITS", {}),
        }

    @property
    def REJECTION_REASONS(self):
        """key -> text of the reasons a moderator picks when rejecting a
        comment (the author reads the text in their language: wrap it in
        gettext_lazy), merged over the defaults: "off_topic", "abuse",
        "spam", "personal_data", "unverified". A key mapped to None removes
        a default."""
        reasons = {
            "off_topic": _("Your comment is not about this page."),
            "abuse": _("Your comment insults or attacks other people."),
            "spam": _("Your comment advertises something."),
            "personal_data": _("Your comment shares someone's personal details."),
            "unverified": _("Your comment states as fact what we cannot verify."),
            **self._setting("REJECTION_REASONS", {}),
        }
        return {key: text for key, text in reasons.items() if text is not None}


_app_settings = AppSettings()


def __getattr__(name):
    # See https://peps.python.org/pep-0562/
    return getattr(_app_settings, name)
