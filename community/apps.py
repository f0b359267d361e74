from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    label = "community"
    verbose_name = _("Community")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401

        self.ready_accounts()
        self.ready_posts()
        self.ready_insights()

    def ready_posts(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Comment
        from .posts import on_comment_changed

        for signal in (post_save, post_delete):
            signal.connect(
                on_comment_changed, sender=Comment, dispatch_uid="community_posts"
            )

    def ready_accounts(self):
        from allauth.account.signals import user_signed_up

        from .accounts import on_user_signed_up
        from .privacy import register_builtin_sections

        user_signed_up.connect(on_user_signed_up, dispatch_uid="community_profile")
        register_builtin_sections()

        from wagtail.permissions import register_permission_policy

        from .members_admin import MemberPermissionPolicy
        from .models import Profile

        register_permission_policy(
            Profile, MemberPermissionPolicy(Profile), exact_class=True
        )

    def ready_insights(self):
        from .insights import signals

        signals.connect()
