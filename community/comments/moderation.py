"""Moderation policies (what happens to a new comment) and moderators' actions.

Policies, all configured in ``community.comments.app_settings``:

- pre-moderation per page type (COMMUNITY_COMMENTS_PREMODERATE_MODELS) and for
  members with fewer than N approved comments (COMMUNITY_COMMENTS_TRUSTED_AFTER);
- a blocklist of words and patterns (COMMUNITY_COMMENTS_BLOCKLIST): English
  words on word boundaries, Chinese anywhere in the text, "re:" regexes;
- a link limit (COMMUNITY_COMMENTS_MAX_LINKS);
- duplicates (COMMUNITY_COMMENTS_DUPLICATE_WINDOW): the same text again on the
  same page is refused, on another page it is held.

A held comment waits in Community → Comments in the Wagtail admin; brand
replies and moderators' own comments are never held.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from community import moderation
from community.adapter import CommunityAdapter, get_adapter
from community.comments import app_settings
from community.comments.forms import RejectForm
from community.comments.models import Comment
from community.comments.notifications import notify_moderation_outcome
from community.markdown import count_links
from community.moderation import Moderator, Verdict, blocklist_matches


class DuplicateComment(Exception):
    """The author already posted this text here."""


def _normalise(text):
    return " ".join(text.split()).casefold()


def find_duplicate(text, *, user, email, target_ct, target_pk):
    """ "same" when this author posted the same text on this object within the
    window, "elsewhere" when on another object, else None."""
    if not (user or email):
        return None
    since = timezone.now() - timezone.timedelta(seconds=app_settings.DUPLICATE_WINDOW)
    recent = Comment.objects.filter(submit_date__gte=since, deleted_at__isnull=True)
    recent = recent.filter(user=user) if user else recent.filter(user_email=email)
    wanted = _normalise(text)
    rows = recent.order_by().values_list("comment", "content_type_id", "object_pk")
    for text_, content_type_id, object_pk in rows:
        if _normalise(text_) == wanted:
            same = content_type_id == target_ct.pk and object_pk == str(target_pk)
            return "same" if same else "elsewhere"
    return None


def evaluate(
    text, *, user, email, target, target_ct, is_official=False, content_only=False
):
    """What the policies say about a new comment: a Verdict, or
    DuplicateComment raised. `content_only` (for edits) applies only the rules
    about the text: blocklist and links."""
    verdict = Verdict()
    if is_official or (user and user.has_perm("community_comments.change_comment")):
        return verdict
    if content_only:
        return _content_rules(text, verdict)
    duplicate = find_duplicate(
        text, user=user, email=email, target_ct=target_ct, target_pk=target.pk
    )
    if duplicate == "same":
        raise DuplicateComment
    if duplicate == "elsewhere":
        verdict.hold(_("the same text was posted on another page"))
    model_name = f"{target_ct.app_label}.{target_ct.model}"
    if model_name in app_settings.PREMODERATE_MODELS:
        verdict.hold(_("comments on this page type are pre-moderated"))
    trusted_after = app_settings.TRUSTED_AFTER
    if trusted_after and get_adapter().trust_level(user) < CommunityAdapter.TRUSTED:
        approved = (
            Comment.objects.filter(user=user, state=Comment.State.PUBLISHED).count()
            if user
            else 0
        )
        if approved < trusted_after:
            verdict.hold(_("new members' first comments are checked"))
    return _content_rules(text, verdict)


def _content_rules(text, verdict):
    words = blocklist_matches(text, app_settings.BLOCKLIST)
    if words:
        verdict.hold(_("blocked words: %(words)s") % {"words": ", ".join(words)})
    if count_links(text) > app_settings.MAX_LINKS:
        verdict.hold(_("too many links"))
    return verdict


class CommentModerator(Moderator):
    actions = {
        "approve": (Comment.State.PUBLISHED, pgettext_lazy("moderation", "Approve")),
        "reject": (Comment.State.REJECTED, pgettext_lazy("moderation", "Reject")),
        "remove": (Comment.State.REMOVED, pgettext_lazy("moderation", "Remove")),
        "spam": (Comment.State.SPAM, pgettext_lazy("moderation", "Mark as spam")),
    }
    questions = {
        "approve": _("Publish these comments and dismiss their flags?"),
        "reject": _(
            "Reject these comments? Their authors get an e-mail with your reason."
        ),
        "remove": _(
            "Hide these comments and their replies? Their authors get an e-mail."
        ),
        "spam": _("Hide these comments as spam? Spammers are not notified."),
    }
    success_messages = {
        "approve": ngettext_lazy(
            "%(count)d comment approved.", "%(count)d comments approved.", "count"
        ),
        "reject": ngettext_lazy(
            "%(count)d comment rejected.", "%(count)d comments rejected.", "count"
        ),
        "remove": ngettext_lazy(
            "%(count)d comment removed.", "%(count)d comments removed.", "count"
        ),
        "spam": ngettext_lazy(
            "%(count)d comment marked as spam.",
            "%(count)d comments marked as spam.",
            "count",
        ),
    }
    forms = {"reject": RejectForm}
    #: The bulk bar's words (Wagtail's JavaScript replaces %(objects)s).
    bulk_strings = {
        "SINGULAR": _("1 comment selected"),
        "PLURAL": _("%(objects)s comments selected"),
        "ALL": _("All %(objects)s comments on this screen selected"),
        "ALL_IN_LISTING": _("All comments in listing selected"),
        "SELECT_ALL_IN_LISTING": _("Select all comments in listing"),
    }
    viewset_class = "community.comments.viewsets.CommentViewSet"
    counter = "flag_count"
    reports = "flag_reports"
    author_field = "user"
    date_field = "submit_date"

    def queue(self, queryset=None):
        if queryset is None:
            queryset = Comment.objects.all()
        return queryset.needs_review()

    def prepare(self, item, action, template="", reason="", **options):
        """A rejection keeps its reason (the author reads it); any other
        decision clears it."""
        rejected = action == "reject"
        item.rejection_template = template if rejected else ""
        item.rejection_reason = reason if rejected else ""

    def notify(self, pk, action, previous_state):
        notify_moderation_outcome(pk, action, previous_state)


def moderate(comments, action, moderator=None, **options):
    """Approve, reject (with `template` and/or `reason`), remove or mark as
    spam (through the registered comment moderator); resolves the comments'
    open flags. Authors hear of rejections, removals and of approvals of held
    comments by e-mail. Returns how many comments were moderated."""
    return moderation.registry.get(Comment).moderate(
        comments, action, moderator, **options
    )
