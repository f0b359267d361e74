from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Members and the kernel the community apps share: profiles, the allauth
    adapters and providers, the privacy registry, the moderation toolkit."""

    name = "community"
    label = "community"
    verbose_name = _("Community")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's idiom: what needs the models is imported once apps are ready.
        from allauth.account.signals import user_signed_up
        from django.contrib.auth.signals import user_logged_in
        from wagtail.permissions import register_permission_policy

        from community import (
            checks,  # noqa: F401 (registers the checks)
            privacy,
        )
        from community.accounts import on_user_signed_up, remember_language
        from community.models import Profile
        from community.viewsets import MemberPermissionPolicy

        user_signed_up.connect(on_user_signed_up, dispatch_uid="community_profile")
        if apps.is_installed("sharing"):
            # A sign-up counts for the own-media post the visitor came from.
            from community.ownmedia import count_signup

            user_signed_up.connect(count_signup, dispatch_uid="community_ownmedia")
        user_logged_in.connect(remember_language, dispatch_uid="community_language")
        privacy.register_builtin_sections()
        register_permission_policy(
            Profile, MemberPermissionPolicy(Profile), exact_class=True
        )
