"""Accounts: profiles created at sign-up, provider pictures, rate limits."""

import logging

from django.db import transaction
from django.utils import translation

from community import app_settings, ratelimit
from community.adapter import get_adapter
from community.models import Profile
from community.tasks import fetch_provider_picture

logger = logging.getLogger(__name__)


def create_profile(user, display_name="", picture_url=""):
    """The member's profile, created at their first sign-in and prefilled from
    the social account. The provider's picture is copied in the background: the
    site never shows pictures from other servers."""

    profile, created = Profile.objects.get_or_create(
        user=user,
        defaults={
            # A callable: the adapter is asked only when the profile is new.
            "display_name": display_name
            or (lambda: get_adapter().suggested_display_name(user)),
            "picture_url": picture_url,
            "language": (translation.get_language() or "")[:12],
        },
    )
    if created and picture_url:
        transaction.on_commit(lambda: fetch_provider_picture.enqueue(profile.pk))
    return profile


def on_user_signed_up(sender, request, user, **kwargs):
    """allauth's `user_signed_up`: every new member gets a profile (the social
    adapter has already made it, with the provider's name and picture)."""
    create_profile(user)


def remember_language(sender, request, user, **kwargs):
    """Django's `user_logged_in`: the language the member uses the site in,
    which their e-mails are written in."""
    language = (translation.get_language() or "")[:12]
    if language:
        Profile.objects.filter(user=user).exclude(language=language).update(
            language=language
        )


def rate_limited(request, action):
    """True when the member went over COMMUNITY_RATE_LIMITS[action]."""
    return not ratelimit.consume(request, action, app_settings.RATE_LIMITS)


def member_menu_context(request):
    user = getattr(request, "user", None)
    context = {"request": request, "user": user, "profile": None}
    if user is not None and user.is_authenticated:
        context["profile"] = Profile.for_user(user)
        context["can_access_admin"] = user.has_perm("wagtailadmin.access_admin")
    return context
