"""The comments' admin views: the queue (whose rows open the review page) and
the review page of one comment.

The review page is the comment's inspect view: the comment, its page, the
comment it answers and its replies, the visitors' flags, the author's record,
history and suspension; and the moderator's decisions as POST forms (approve,
reject with a reason, remove, mark as spam, suspend the author). Each decision
checks the moderation permission, runs in a transaction through the comment
moderator (which resolves the flags, logs to Wagtail's log and tells the
author after the commit), changes nothing when made twice, and returns to the
queue with a message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.log_actions import log

from community import moderation, suspensions
from community.adapter import get_adapter
from community.comments import review
from community.comments.models import Comment
from community.formats import human_datetime
from community.models import Profile
from community.moderation.admin import (
    HumanInspectView,
    ModerationIndexView,
    admin_url,
    member_activity,
    open_reports,
)
from community.moderation.forms import SuspendForm

#: The moderator's decisions offered as plain buttons (reject has a form).
BUTTON_ACTIONS = ("approve", "remove", "spam")
SUSPEND = "suspend_author"
SUSPEND_LOG_ACTION = moderation.log_action_name("suspend")


class CommentIndexView(ModerationIndexView):
    """The queue: each row's comment opens its review page."""


class CommentReviewView(HumanInspectView):
    """A comment as a moderator reviews it, with their decisions."""

    page_title = gettext_lazy("Review")
    template_name = "community_comments/admin/comment_review.html"
    http_method_names = ["get", "post", "head", "options"]

    # The comment

    def get_object(self, queryset=None):
        try:
            pk = int(str(self.pk))
        except ValueError:
            raise Http404 from None
        return get_object_or_404(
            Comment.objects.select_related("user__community_profile", "content_type"),
            pk=pk,
        )

    @cached_property
    def moderator(self):
        return moderation.registry.get(Comment)

    @cached_property
    def may_moderate(self):
        return self.moderator.may_moderate(self.request.user)

    @cached_property
    def author(self):
        return self.object.user if self.object.user_id else None

    @cached_property
    def profile(self):
        if self.author is None:
            return None
        return getattr(self.author, "community_profile", None)

    @cached_property
    def may_suspend(self):
        return (
            self.may_moderate
            and self.author is not None
            and self.request.user.has_perm("community.change_profile")
        )

    # The decisions

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action == SUSPEND:
            return self.suspend_author()
        if action not in self.moderator.actions:
            return HttpResponseBadRequest(_("Unknown decision."))
        if not self.may_moderate:
            raise PermissionDenied
        options = {}
        form_class = self.moderator.get_form_class(action)
        if form_class is not None:
            form = form_class(request.POST, prefix=action)
            if not form.is_valid():
                messages.error(request, _("The decision could not be made."))
                return self.render_to_response(
                    self.get_context_data(**{f"{action}_form": form})
                )
            options = form.cleaned_data
        with transaction.atomic():
            # Locked: a second click waits, then finds the decision made.
            comment = Comment.objects.select_for_update(of=("self",)).get(
                pk=self.object.pk
            )
            self.moderator.moderate([comment], action, request.user, **options)
        messages.success(request, self.moderator.get_success_message(action, 1))
        return self.back_to_queue()

    def suspend_author(self):
        if not self.may_suspend:
            raise PermissionDenied
        form = SuspendForm(self.request.POST, prefix="suspend")
        if not form.is_valid():
            messages.error(self.request, _("The member could not be suspended."))
            return self.render_to_response(self.get_context_data(suspend_form=form))
        name = get_adapter().author_name(self.author)
        with transaction.atomic():
            profile = Profile.for_user(self.author)
            profile = Profile.objects.select_for_update(of=("self",)).get(pk=profile.pk)
            if profile.is_suspended:
                messages.warning(
                    self.request,
                    _("%(name)s is already suspended; change it on their page.")
                    % {"name": name},
                )
                return self.back_to_queue()
            suspensions.suspend(
                profile,
                reason=form.cleaned_data["reason"],
                template=form.cleaned_data["template"],
                until=form.until(),
            )
            log(
                profile,
                SUSPEND_LOG_ACTION,
                user=self.request.user,
                data={"comment": self.object.pk},
            )
        messages.success(
            self.request,
            _("%(name)s is suspended and gets an e-mail.") % {"name": name},
        )
        return self.back_to_queue()

    def back_to_queue(self):
        next_url = self.request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            next_url = reverse(self.index_url_name)
        return redirect(next_url)

    # What the page shows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comment = self.object
        user = self.request.user
        target = comment.content_object
        replies, replies_total = review.replies_to(comment)
        flags, flags_total = review.flags_of(comment)
        finder = AdminURLFinder(user)
        context.update(
            {
                "comment": comment,
                "submitted": human_datetime(comment.submit_date),
                "edited": human_datetime(comment.edited_at)
                if comment.edited_at
                else "",
                "open_reports": open_reports(flags),
                "target": target,
                "target_title": getattr(target, "title", None) or str(target or "—"),
                "target_url": self.public_url(comment, target),
                "target_admin_url": finder.get_edit_url(target) if target else None,
                "parent": self.row(review.parent_of(comment)),
                "replies": [self.row(reply) for reply in replies],
                "replies_total": replies_total,
                "flags": [
                    {
                        "flag": flag,
                        "by": get_adapter().author_name(flag.user),
                        "date": human_datetime(flag.created_at),
                        "resolved": flag.resolved_at is not None,
                    }
                    for flag in flags
                ],
                "flags_total": flags_total,
                "may_moderate": self.may_moderate,
                "may_suspend": self.may_suspend,
                "button_actions": [
                    {
                        "action": action,
                        "label": self.moderator.get_label(action),
                        "done": comment.state == self.moderator.actions[action][0],
                    }
                    for action in BUTTON_ACTIONS
                    if action in self.moderator.actions
                ],
                "reject_form": kwargs.get("reject_form")
                or self.moderator.get_form_class("reject")(prefix="reject"),
                "suspend_form": kwargs.get("suspend_form")
                or SuspendForm(prefix="suspend"),
                "queue_url": reverse(self.index_url_name),
                "next": self.safe_next(),
            }
        )
        context.update(self.author_context(finder))
        return context

    def author_context(self, finder):
        author, profile = self.author, self.profile
        if author is None:
            return {"author": None, "author_name": self.object.author_name()}
        suspended = bool(profile and profile.is_suspended)
        return {
            "author": author,
            "author_name": get_adapter().author_name(author),
            "author_url": finder.get_edit_url(profile) if profile else None,
            "author_joined": human_datetime(author.date_joined),
            "author_record": review.author_record(author),
            "author_activity": member_activity(
                author, self.request.user, limit=review.HISTORY_SHOWN
            ),
            "history_url": (
                reverse(self.index_url_name) + f"?state=all&user={author.pk}"
            ),
            "suspended": suspended,
            "suspended_until": human_datetime(profile.suspended_until)
            if suspended and profile.suspended_until
            else "",
            "suspension_message": profile.suspension_message if suspended else "",
        }

    def row(self, comment):
        """A comment of the thread as the page lists it."""
        if comment is None:
            return None
        return {
            "comment": comment,
            "author": comment.author_name(),
            "date": human_datetime(comment.submit_date),
            "excerpt": review.excerpt(comment.comment_text(), 300),
            "url": admin_url(comment, self.request.user),
        }

    def public_url(self, comment, target):
        """The page on the site, at the comment when visitors see it."""
        if target is None:
            return None
        if hasattr(target, "get_url"):
            url = target.get_url(self.request)
        else:
            url = getattr(target, "get_absolute_url", lambda: None)()
        if url and comment.state == Comment.State.PUBLISHED:
            url += f"#c{comment.pk}"
        return url

    def safe_next(self):
        next_url = self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={self.request.get_host()}
        ):
            return next_url
        return ""
