from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """What the community knows about a member beyond the auth user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_profile",
        verbose_name=_("user"),
    )
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.display_name or self.user.get_username()

    @property
    def is_suspended(self):
        return self.suspended_at is not None

    def suspend(self, reason):
        self.suspended_at = timezone.now()
        self.suspension_reason = reason
        self.save(update_fields=["suspended_at", "suspension_reason", "updated_at"])

    def lift_suspension(self):
        self.suspended_at = None
        self.suspension_reason = ""
        self.save(update_fields=["suspended_at", "suspension_reason", "updated_at"])
