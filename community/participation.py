"""Who may take part (post, comment, react): one rule for every feature."""

from django.apps import apps
from django.utils.translation import gettext as _


def participation_denied(user, *, require_verified_email=True):
    """None when `user` may post, comment and react; otherwise a message that
    tells them why not, in the active language. A community board open to all
    members passes `require_verified_email=False`."""
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
    if require_verified_email and apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        if not EmailAddress.objects.filter(user=user, verified=True).exists():
            return _("Confirm your e-mail address to take part.")
    return None
