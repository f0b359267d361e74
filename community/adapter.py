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
            if profile.suspension_reason:
                return _("Your account is suspended: %(reason)s") % {
                    "reason": profile.suspension_reason
                }
            return _("Your account is suspended.")
        if (
            require_verified_email
            and not EmailAddress.objects.filter(user=user, verified=True).exists()
        ):
            return _("Confirm your e-mail address to take part.")
        return None

    def trust_level(self, user):
        """NEW, MEMBER or TRUSTED. TRUSTED members skip the apps'
        pre-moderation of newcomers (staff, by default); the apps' own
        "trusted after N published items" rules apply to the others."""
        if user is None or not user.is_authenticated:
            return self.NEW
        if user.is_staff:
            return self.TRUSTED
        return self.MEMBER

    def author_name(self, user):
        """The name shown publicly on what `user` wrote: their display name,
        else their username (never their e-mail address)."""
        profile = getattr(user, "community_profile", None)
        if profile is not None and profile.display_name:
            return profile.display_name
        return user.get_username()

    def is_bot(self, request):
        """True for crawlers and tools (they do not count as views)."""
        agent = request.headers.get("User-Agent", "")
        if not agent:
            return True
        return re.search(app_settings.BOT_PATTERN, agent, re.IGNORECASE) is not None


def get_adapter(request=None):
    """The project's COMMUNITY_ADAPTER, for this request."""
    return import_string(app_settings.ADAPTER)(request)
