"""Moderation policies (what happens to a new comment) and moderators' actions.

Policies, all configured in ``community.app_settings``:

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

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community import app_settings
from community.markdown import count_links

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


class DuplicateComment(Exception):
    """The author already posted this text here."""


@dataclass
class Verdict:
    held: bool = False
    reasons: list = field(default_factory=list)

    def hold(self, reason):
        self.held = True
        self.reasons.append(str(reason))


def blocklist_matches(text):
    """The blocklist entries found in `text`."""
    found = []
    for entry in app_settings.COMMENTS_BLOCKLIST:
        entry = entry.strip()
        if not entry:
            continue
        if entry.startswith("re:"):
            pattern = re.compile(entry[3:], re.IGNORECASE)
        elif CJK.search(entry):
            # Chinese has no spaces between words: match anywhere.
            pattern = re.compile(re.escape(entry))
        else:
            pattern = re.compile(rf"\b{re.escape(entry)}\b", re.IGNORECASE)
        if pattern.search(text):
            found.append(entry)
    return found


def _normalise(text):
    return " ".join(text.split()).casefold()


def find_duplicate(text, *, user, email, target_ct, target_pk):
    """ "same" when this author posted the same text on this object within the
    window, "elsewhere" when on another object, else None."""
    from community.models import Comment

    if not (user or email):
        return None
    since = timezone.now() - timezone.timedelta(
        seconds=app_settings.COMMENTS_DUPLICATE_WINDOW
    )
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
    from community.models import Comment

    verdict = Verdict()
    if is_official or (user and user.has_perm("community.change_comment")):
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
    if model_name in app_settings.COMMENTS_PREMODERATE_MODELS:
        verdict.hold(_("comments on this page type are pre-moderated"))
    trusted_after = app_settings.COMMENTS_TRUSTED_AFTER
    if trusted_after:
        approved = (
            Comment.objects.filter(user=user, state=Comment.State.PUBLISHED).count()
            if user
            else 0
        )
        if approved < trusted_after:
            verdict.hold(_("new members' first comments are checked"))
    return _content_rules(text, verdict)


def _content_rules(text, verdict):
    words = blocklist_matches(text)
    if words:
        verdict.hold(_("blocked words: %(words)s") % {"words": ", ".join(words)})
    if count_links(text) > app_settings.COMMENTS_MAX_LINKS:
        verdict.hold(_("too many links"))
    return verdict


# Moderators' actions


ACTIONS = {
    "approve": "published",
    "remove": "removed",
    "spam": "spam",
}


def decide(items, action, new_state, *, counter, reports, notify, prepare=None):
    """A moderator's decision on comments or posts, in one transaction: each
    item takes `new_state` (on approval its report `counter` goes back to 0;
    `prepare(item)` may set more), its open reports (the related manager
    named `reports`) are resolved, and `notify(pk, action, previous state)`
    tells the authors of the items whose state changed, after the commit.
    Returns how many items were moderated."""
    items = list(items)
    changed = []
    with transaction.atomic():
        for item in items:
            previous = item.state
            item.state = new_state
            if action == "approve":
                setattr(item, counter, 0)
            if prepare is not None:
                prepare(item)
            item.save()
            getattr(item, reports).filter(resolved_at__isnull=True).update(
                resolved_at=timezone.now()
            )
            if previous != new_state:
                changed.append((item.pk, previous))
        for pk, previous in changed:
            transaction.on_commit(
                lambda pk=pk, previous=previous: notify(pk, action, previous)
            )
    return len(items)


def moderate(comments, action, moderator=None):
    """Approve, remove or mark as spam; resolves the comments' open flags.
    Authors hear of removals and of approvals of held comments by e-mail.
    Returns how many comments were moderated."""
    from community.notifications import notify_moderation_outcome

    return decide(
        comments,
        action,
        ACTIONS[action],
        counter="flag_count",
        reports="flag_reports",
        notify=notify_moderation_outcome,
    )
