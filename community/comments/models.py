"""Comments: django-comments-xtd's threaded comment, extended for the community.

Why a swappable model (``COMMENTS_XTD_MODEL``) rather than companion rows: the
extra fields (moderation state, rendered HTML, "official", edited/deleted
marks, counters) are read for every comment on every page view. On the comment
row itself they come with the one query that loads a thread; a companion
one-to-one row would need a join or a second query everywhere comments-xtd
already loads comments. comments-xtd 2.10 documents this multi-table
subclass of ``XtdComment`` as its extension point, so its threading
(thread_id/parent_id/level/order), confirmation e-mails and signals keep
working unchanged.

What a member does to a comment is many-per-comment and lives in small
companion models instead: one like per member (``CommentReaction``, unique per
member and comment), flags with a reason (``CommentFlagReport``) and thread
follows (``ThreadFollow``).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment, XtdCommentManager
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Page

from community import app_settings as community_settings
from community.adapter import get_adapter
from community.comments import app_settings
from community.markdown import html_to_text, markdown_to_text, render_markdown


class CommentQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=str(obj.pk),
        )

    def visible_to(self, user):
        """What a visitor sees: published comments and placeholders, plus their
        own comments that wait for a moderator."""
        visible = models.Q(state=Comment.State.PUBLISHED)
        if user is not None and user.is_authenticated:
            visible |= models.Q(state=Comment.State.PENDING, user=user)
        return self.filter(visible)

    def needs_review(self):
        """The moderation queue: held comments and flagged published ones."""
        return self.filter(
            models.Q(state=Comment.State.PENDING)
            | models.Q(state=Comment.State.PUBLISHED, flag_count__gt=0)
        )


class CommentManager(XtdCommentManager.from_queryset(CommentQuerySet)):
    pass


class Comment(XtdComment):
    class State(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PENDING = "pending", _("Awaiting moderation")
        REJECTED = "rejected", _("Rejected")
        REMOVED = "removed", _("Removed")
        SPAM = "spam", _("Spam")

    #: The states in which nobody but moderators sees a comment any more.
    HIDDEN_STATES = (State.REJECTED, State.REMOVED, State.SPAM)

    xtdcomment_ptr = models.OneToOneField(
        XtdComment,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="community_comment",
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=State.choices,
        default=State.PUBLISHED,
    )
    comment_html = models.TextField(_("comment (HTML)"), blank=True, editable=False)
    is_official = models.BooleanField(
        _("official"), default=False, help_text=_("Posted as the brand.")
    )
    hold_reasons = models.CharField(
        _("why it was held"), max_length=255, blank=True, editable=False
    )
    rejection_template = models.CharField(
        _("reason template"), max_length=40, blank=True, editable=False
    )
    rejection_reason = models.TextField(
        _("reason for the rejection"), blank=True, editable=False
    )
    language = models.CharField(_("language"), max_length=12, blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    flag_count = models.PositiveIntegerField(_("flags"), default=0)

    objects = CommentManager()

    panels = [FieldPanel("comment")]

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("reply_as_brand", _("Can reply as the brand"))]
        # The moderation queue (needs_review): both sides of its OR use it.
        indexes = [models.Index(fields=["state", "flag_count"], name="comment_review")]

    def __str__(self):
        text = " ".join(self.comment.split())
        return text[:60] + ("…" if len(text) > 60 else "")

    def save(self, *args, **kwargs):
        if self.deleted_at is None:
            self.comment_html = render_markdown(self.comment)
        self.is_public = self.state == self.State.PUBLISHED
        self.is_removed = self.state in self.HIDDEN_STATES
        super().save(*args, **kwargs)

    def comment_text(self):
        """The comment as plain text, without Markdown (excerpts, lists)."""
        if self.comment_html:
            return html_to_text(self.comment_html)
        return markdown_to_text(self.comment)

    def get_absolute_url(self, anchor_pattern="#c%(id)s"):
        target = self.content_object
        url = target.get_url() if hasattr(target, "get_url") else None
        if url is None and hasattr(target, "get_absolute_url"):
            url = target.get_absolute_url()
        return (url or "/") + anchor_pattern % self.__dict__

    @property
    def rejection_message(self):
        """Why the comment was rejected, in the active language: the reason
        template's text (COMMUNITY_COMMENTS_REJECTION_REASONS) and the
        moderator's own words."""
        template = app_settings.REJECTION_REASONS.get(self.rejection_template, "")
        parts = [str(template), self.rejection_reason]
        return " ".join(part.strip() for part in parts if part and part.strip())

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_edited(self):
        return self.edited_at is not None

    def editable_until(self):
        return self.submit_date + timezone.timedelta(seconds=app_settings.EDIT_WINDOW)

    def author_name(self):
        """The brand, the member's public name, the name a visitor gave, or
        "Deleted member" when the author's account is gone."""
        if self.is_official:
            return community_settings.BRAND_NAME
        if self.user_id:
            return get_adapter().author_name(self.user)
        return self.user_name or gettext("Deleted member")


class CommentReaction(models.Model):
    """A member's like of a comment: at most one per member and comment."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reactions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comment_reactions",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("comment like")
        verbose_name_plural = _("comment likes")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="community_one_like_per_member"
            )
        ]

    def __str__(self):
        return f"{self.user} ♥ {self.comment_id}"


class CommentFlagReport(models.Model):
    """A member's report of a comment for moderation, with a reason."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Harassment or hate")
        OFF_TOPIC = "off_topic", _("Off topic")
        MISINFORMATION = "misinformation", _("False or misleading")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="flag_reports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comment_flag_reports",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment flag")
        verbose_name_plural = _("comment flags")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="community_one_flag_per_member"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.user})"


class ThreadFollow(models.Model):
    """A member who gets an e-mail when someone replies in a thread (a
    top-level comment and its replies)."""

    thread = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="followers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comment_thread_follows",
    )
    language = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thread follow")
        verbose_name_plural = _("thread follows")
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"], name="community_one_follow_per_member"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.thread_id}"


class CommentsMixin(models.Model):
    """Adds comments to a page type: editors may close a page to new comments
    or hide its comments altogether."""

    allow_comments = models.BooleanField(
        _("allow comments"),
        default=True,
        help_text=_("Visitors may post new comments and replies."),
    )
    show_comments = models.BooleanField(
        _("show comments"),
        default=True,
        help_text=_("Show the comments on the page (hidden ones are kept)."),
    )

    comments_panels = [
        FieldRowPanel(
            [FieldPanel("allow_comments"), FieldPanel("show_comments")],
            heading=_("Comments"),
        )
    ]

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):
        """A page type's settings tab gains the two switches, as Wagtail's own
        page mixins add their panels; a page type that sets its own
        settings_panels adds `CommentsMixin.comments_panels` (check
        community_comments.W010 says so). Other models (posts) edit with
        `panels` and get nothing here."""
        super().__init_subclass__(**kwargs)
        if (
            issubclass(cls, Page)
            and "settings_panels" not in cls.__dict__
            and cls.settings_panels is Page.settings_panels
        ):
            cls.settings_panels = Page.settings_panels + cls.comments_panels

    @property
    def comments_open(self):
        return self.allow_comments and self.show_comments
