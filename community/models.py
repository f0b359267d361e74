import uuid

from allauth.socialaccount import providers
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from community import app_settings
from community.adapter import get_adapter
from community.images import delete_files


def avatar_path(instance, filename):
    # A fresh random name per upload: old renditions are never overwritten in
    # place (caches), and names reveal nothing about the member.
    return f"community/avatars/{uuid.uuid4().hex}-{filename}"


class ProfileInterest(TaggedItemBase):
    content_object = models.ForeignKey(
        "community.Profile", on_delete=models.CASCADE, related_name="interest_items"
    )

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")


class Profile(models.Model):
    """What the community knows about a member beyond the auth user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_profile",
        verbose_name=_("user"),
    )
    display_name = models.CharField(
        pgettext_lazy("member", "display name"), max_length=50, blank=True
    )
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspended_until = models.DateTimeField(
        _("suspended until"),
        null=True,
        blank=True,
        help_text=_("Empty: suspended until a moderator lifts it."),
    )
    suspension_template = models.CharField(
        _("reason"),
        max_length=40,
        blank=True,
        help_text=_("The member reads it in their language."),
    )
    suspension_reason = models.TextField(_("reason for the suspension"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=12,
        blank=True,
        editable=False,
        help_text=_("The member's language when they last signed in (e-mails)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    bio = models.TextField(_("about me"), max_length=500, blank=True)
    region = models.CharField(_("region"), max_length=80, blank=True)
    interests = TaggableManager(
        verbose_name=_("interests"),
        through=ProfileInterest,
        blank=True,
        help_text=_("Comma-separated, e.g. green tea, tea ceremony"),
    )
    avatar = models.ImageField(
        _("avatar"), upload_to=avatar_path, blank=True, editable=False
    )
    avatar_small = models.ImageField(
        _("small avatar"), upload_to=avatar_path, blank=True, editable=False
    )
    picture_url = models.URLField(
        _("picture from the social account"),
        max_length=500,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The member's public name: their display name, else the adapter's
        default ("Member 6")."""
        return self.display_name or get_adapter().default_name(self.user)

    @property
    def initial(self):
        return (self.name[:1] or "?").upper()

    @property
    def sign_in_methods(self):
        """The social providers the member signs in with (prefetch
        `user__socialaccount_set` for lists), e.g. "QQ, WeChat"."""

        names = []
        for account in self.user.socialaccount_set.all():
            try:
                names.append(str(providers.registry.get_class(account.provider).name))
            except Exception:  # noqa: BLE001 - a provider no longer installed
                names.append(account.provider)
        return ", ".join(sorted(set(names)))

    @property
    def is_suspended(self):
        """Suspended now: since `suspended_at`, until `suspended_until` (or a
        moderator lifts it)."""
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > timezone.now()

    @staticmethod
    def suspended_now():
        """A filter (Q) of the profiles suspended at this moment."""
        return models.Q(suspended_at__isnull=False) & (
            models.Q(suspended_until__isnull=True)
            | models.Q(suspended_until__gt=timezone.now())
        )

    @property
    def suspension_message(self):
        """Why the member is suspended, in the active language: the reason
        template's text and the moderator's own words."""
        reasons = app_settings.SUSPENSION_REASONS
        parts = [str(reasons.get(self.suspension_template, "")), self.suspension_reason]
        return " ".join(part.strip() for part in parts if part and part.strip())

    @classmethod
    def for_user(cls, user):
        """The member's profile, created on first use."""
        try:
            return user.community_profile
        except cls.DoesNotExist:
            profile, _created = cls.objects.get_or_create(user=user)
            user.community_profile = profile
            return profile

    SUSPENSION_FIELDS = [
        "suspended_at",
        "suspended_until",
        "suspension_template",
        "suspension_reason",
        "updated_at",
    ]

    def suspend(self, reason="", *, until=None, template=""):
        """Suspend the member now, until `until` (None: until lifted), for a
        reason template's key and/or the moderator's `reason`. Nobody is told:
        `community.suspensions.suspend()` also e-mails the member."""
        self.suspended_at = timezone.now()
        self.suspended_until = until
        self.suspension_template = template
        self.suspension_reason = reason
        self.save(update_fields=self.SUSPENSION_FIELDS)

    def lift_suspension(self):
        self.suspended_at = None
        self.suspended_until = None
        self.suspension_template = ""
        self.suspension_reason = ""
        self.save(update_fields=self.SUSPENSION_FIELDS)

    # Avatars

    def set_avatar(self, renditions):
        """Store `renditions` ({"avatar": bytes, "avatar_small": bytes}, WebP, from
        `community.avatars.render_avatar`) in place of the current avatar."""

        old = self.avatar_files()
        written = []
        try:
            with transaction.atomic():
                for field, data in renditions.items():
                    size = "256" if field == "avatar" else "64"
                    getattr(self, field).save(
                        f"{size}.webp", ContentFile(data), save=False
                    )
                    written.append(getattr(self, field).name)
                self.save(update_fields=["avatar", "avatar_small", "updated_at"])
        except Exception:
            delete_files(written)
            raise
        transaction.on_commit(lambda: delete_files(old))

    def remove_avatar(self):
        old = self.avatar_files()
        self.avatar = ""
        self.avatar_small = ""
        self.picture_url = ""
        self.save(update_fields=["avatar", "avatar_small", "picture_url", "updated_at"])
        transaction.on_commit(lambda: delete_files(old))

    def avatar_files(self):
        return [f.name for f in (self.avatar, self.avatar_small) if f]
