"""The community adapter: where a project changes who may take part, how
members are named and trusted, and which visitors are bots, by subclassing
`CommunityAdapter` and naming the subclass in ``COMMUNITY_ADAPTER`` (the way
allauth's ``ACCOUNT_ADAPTER`` works)::

    # myproject/community.py
    from community.adapter import CommunityAdapter

    class MyAdapter(CommunityAdapter):
        def participation_denied(self, user, *, require_verified_email=True):
            if user.is_authenticated and user.email.endswith("@spam.example"):
                return "Not here."
            return super().participation_denied(
                user, require_verified_email=require_verified_email
            )

    # settings.py
    COMMUNITY_ADAPTER = "myproject.community.MyAdapter"
"""

import re

from allauth.account.models import EmailAddress
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from community import app_settings
from community.formats import human_datetime


class CommunityAdapter:
    #: Trust levels: what trust_level() answers.
    NEW, MEMBER, TRUSTED = 0, 1, 2

    def __init__(self, request=None):
        self.request = request

    def participation_denied(self, user, *, require_verified_email=True):
        """None when `user` may post, comment and react; otherwise a message
        that tells them why not, in the active language. A community board open
        to all members passes `require_verified_email=False`."""
        if user is None or not user.is_authenticated:
            return _("Sign in to take part.")
        if not user.is_active:
            return _("This account is not active.")
        profile = getattr(user, "community_profile", None)
        if profile is not None and profile.is_suspended:
            return self.suspension_denied(profile)
        if (
            require_verified_email
            and not EmailAddress.objects.filter(user=user, verified=True).exists()
        ):
            return _("Confirm your e-mail address to take part.")
        return None

    def suspension_denied(self, profile):
        """What a suspended member reads when they try to take part: until
        when (in one human format, the site's time zone) and why."""
        reason = profile.suspension_message
        if profile.suspended_until is not None:
            until = human_datetime(profile.suspended_until)
            if reason:
                return _("Your account is suspended until %(until)s: %(reason)s") % {
                    "until": until,
                    "reason": reason,
                }
            return _("Your account is suspended until %(until)s.") % {"until": until}
        if reason:
            return _("Your account is suspended: %(reason)s") % {"reason": reason}
        return _("Your account is suspended.")

    def trust_level(self, user):
        """NEW, MEMBER or TRUSTED. TRUSTED members skip the apps'
        pre-moderation of newcomers (staff, by default); the apps' own
        "trusted after N published items" rules apply to the others."""
        if user is None or not user.is_authenticated:
            return self.NEW
        if user.is_staff:
            return self.TRUSTED
        return self.MEMBER

    #: Usernames sign-up makes for members who did not choose one ("member",
    #: "member6", "member3k": `community.adapters.AccountAdapter`).
    GENERATED_USERNAME = re.compile(r"member[0-9a-z]{0,8}", re.IGNORECASE)

    def author_name(self, user):
        """The name shown publicly on what `user` wrote: their display name,
        else `default_name()` (never their e-mail address)."""
        profile = getattr(user, "community_profile", None)
        if profile is not None and profile.display_name:
            return profile.display_name
        return self.default_name(user)

    def default_name(self, user):
        """The public name of a member without a display name: their username
        when they chose it, else "Member 6" (their number), in the active
        language, rather than a generated username such as "member6"."""
        username = user.get_username()
        if username and not self.GENERATED_USERNAME.fullmatch(username):
            return username
        return _("Member %(number)s") % {"number": user.pk}

    def suggested_display_name(self, user):
        """The display name a member starts with when sign-up gives none (they
        change it in their settings): the words of their e-mail address's
        local part, without dots and "+" suffix ("lin.yu+tea@example.com":
        "Lin Yu"). "" when it does not read as a name: mostly digits, as in
        QQ Mail's "12345678@qq.com", or too short or too long; the member is
        then "Member 6" (`default_name`)."""
        local = (user.email or "").rpartition("@")[0].partition("+")[0]
        words = re.findall(r"[^\W_]+", local)
        letters = sum(character.isalpha() for character in local)
        digits = sum(character.isdigit() for character in local)
        if not words or len(local) > 40 or letters < 2 or digits > letters:
            return ""
        return " ".join(word[:1].upper() + word[1:] for word in words)[:50]

    def is_bot(self, request):
        """True for crawlers and tools (they do not count as views)."""
        agent = request.headers.get("User-Agent", "")
        if not agent:
            return True
        return re.search(app_settings.BOT_PATTERN, agent, re.IGNORECASE) is not None


def get_adapter(request=None):
    """The project's COMMUNITY_ADAPTER, for this request."""
    return import_string(app_settings.ADAPTER)(request)
