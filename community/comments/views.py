"""Views for comments. Each works as a plain form post (redirect back with a
message) and answers JSON when the page's script asks for it
(``Accept: application/json``). Every failure is a clear message, never a 500.
"""

from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.core import signing
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_comments import signals as comment_signals
from django_comments_xtd import signed as xtd_signed
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.models import (
    MaxThreadLevelExceededException,
    max_thread_level_for_content_type,
)
from django_comments_xtd.views import send_email_confirmation_request

from community import app_settings as community_settings
from community import ratelimit
from community.adapter import get_adapter
from community.comments import app_settings
from community.comments.forms import CommentForm, EditCommentForm, FlagForm
from community.comments.models import Comment, ThreadFollow
from community.comments.moderation import DuplicateComment, evaluate
from community.comments.notifications import notify_new_comment, read_unfollow_token
from community.comments.services import (
    build_nodes,
    comment_labels,
    comment_thread,
    comments_closed_reason,
    delete_comment,
    flag_comment,
    resolve_target,
    target_url,
    toggle_follow,
    toggle_like,
    viewer_rights,
)
from community.responses import refuse, wants_json
from community.sites import SiteInfo


def comment_back_url(comment, request):
    return target_url(comment.content_object, request) + f"#c{comment.pk}"


def render_node(request, comment):
    """The HTML of one comment as the author now sees it."""
    target = comment.content_object
    rights = viewer_rights(request.user, target)
    max_level = max_thread_level_for_content_type(comment.content_type)
    node = build_nodes([comment], request.user, rights, max_level)[comment.pk]
    return render_to_string(
        "community_comments/includes/comment.html",
        {
            "node": node,
            "rights": rights,
            "target": target,
            "target_url": target_url(target, request),
            "brand_name": community_settings.BRAND_NAME,
            "brand_logo": community_settings.BRAND_LOGO,
            "labels": comment_labels(),
            "max_length": app_settings.MAX_LENGTH,
            "content_type_key": f"{comment.content_type.app_label}."
            f"{comment.content_type.model}",
        },
        request=request,
    )


def get_visible_comment(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("user"), pk=pk, deleted_at__isnull=True
    )
    if not (comment.is_public or comment.user_id == request.user.pk):
        raise Http404
    return comment


@require_POST
def post_comment(request):
    """A new comment or reply, from comments-xtd's form."""
    user = request.user
    target = resolve_target(
        request.POST.get("content_type", ""), request.POST.get("object_pk", "")
    )
    if target is None:
        return refuse(request, _("This page does not take comments."), 404)
    back = target_url(target, request) + "#comments"
    closed = comments_closed_reason(target)
    if closed:
        return refuse(request, closed, 403, back)
    anonymous = not user.is_authenticated
    if not (anonymous and app_settings.ALLOW_ANONYMOUS):
        denied = get_adapter().participation_denied(user)
        if denied:
            return refuse(request, denied, 403, back)
    if not ratelimit.consume(request, "comment", app_settings.RATE_LIMITS):
        return refuse(
            request,
            _("You are commenting too fast. Wait a minute, then try again."),
            429,
            back,
        )
    form = CommentForm(target, data=request.POST, user=user)
    if not form.is_valid():
        if form.security_errors():
            return refuse(
                request,
                _(
                    "This form has expired or was changed. Reload the page and "
                    "try again."
                ),
                400,
                back,
            )
        if wants_json(request):
            return JsonResponse(
                {
                    "ok": False,
                    "message": _("Please correct the errors below."),
                    "errors": {k: [str(e) for e in v] for k, v in form.errors.items()},
                },
                status=400,
            )
        return render(
            request,
            "community_comments/comment_form_page.html",
            {
                "form": form,
                "target": target,
                "back": back,
                "target_url": target_url(target, request),
                "rights": viewer_rights(user, target),
                "reply_to": form.cleaned_data.get("reply_to", 0),
                "max_length": app_settings.MAX_LENGTH,
                "brand_name": community_settings.BRAND_NAME,
            },
            status=400,
        )

    parent = None
    reply_to = form.cleaned_data["reply_to"]
    if reply_to:
        parent = Comment.objects.for_object(target).filter(pk=reply_to).first()
        if parent is None or not parent.is_public or parent.is_deleted:
            return refuse(
                request, _("You can only reply to a published comment."), 400, back
            )
        if parent.level >= viewer_max_level(parent):
            return refuse(
                request,
                _("This thread is as deep as it goes: reply to an earlier comment."),
                400,
                back,
            )
    text = form.cleaned_data["comment"]
    as_brand = bool(form.cleaned_data.get("as_brand")) and user.has_perm(
        "community_comments.reply_as_brand"
    )
    data = form.get_comment_create_data(site_id=get_current_site(request).pk)
    try:
        verdict = evaluate(
            text,
            user=None if anonymous else user,
            email=data["user_email"],
            target=target,
            target_ct=data["content_type"],
            is_official=as_brand,
        )
    except DuplicateComment:
        return refuse(request, _("You already posted this comment here."), 400, back)
    state = Comment.State.PENDING if verdict.held else Comment.State.PUBLISHED
    extra = {
        "state": state,
        "is_public": state == Comment.State.PUBLISHED,
        "hold_reasons": "; ".join(verdict.reasons)[:255],
        "language": translation.get_language() or "",
        "ip_address": ratelimit.client_ip(request),
    }
    data.pop("content_object", None)
    comment = Comment(
        **{**data, **extra}, user=None if anonymous else user, is_official=as_brand
    )
    if not will_be_posted(request, comment):
        return refuse(request, _("This comment was not accepted."), 400, back)
    if comment.state == Comment.State.PUBLISHED and not comment.is_public:
        # A receiver held it, as django-comments' moderators do.
        comment.state = Comment.State.PENDING
    extra["state"] = comment.state
    extra["is_public"] = comment.state == Comment.State.PUBLISHED
    held = comment.state == Comment.State.PENDING

    if anonymous:
        # comments-xtd's confirmation: the comment is created when the link
        # in the e-mail is followed.
        tmp = form.get_comment_object(site_id=get_current_site(request).pk)
        tmp.update(extra)
        key = xtd_signed.dumps(
            tmp, compress=True, extra_key=xtd_settings.COMMENTS_XTD_SALT
        )
        # Links on the Wagtail Site's root URL, signed with its name (the
        # templates in community_comments' django_comments_xtd/ read them).
        send_email_confirmation_request(tmp, key, SiteInfo.for_request(request))
        message = _(
            "Check your e-mail: follow the link we sent to publish your comment."
        )
        if wants_json(request):
            return JsonResponse({"ok": True, "message": message, "html": ""})
        messages.info(request, message)
        return redirect(back)

    try:
        with transaction.atomic():
            comment.save()
            if form.cleaned_data.get("followup"):
                ThreadFollow.objects.get_or_create(
                    thread_id=comment.thread_id,
                    user=user,
                    defaults={"language": extra["language"]},
                )
            if comment.state == Comment.State.PUBLISHED:
                transaction.on_commit(lambda: notify_new_comment(comment))
    except MaxThreadLevelExceededException:
        return refuse(
            request,
            _("This thread is as deep as it goes: reply to an earlier comment."),
            400,
            back,
        )
    comment_signals.comment_was_posted.send(
        sender=comment.__class__, comment=comment, request=request
    )
    if held:
        message = _(
            "Thank you. Your comment is waiting for a moderator and will appear "
            "once approved."
        )
    else:
        message = _("Your comment is published.")
    if wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "message": message,
                "held": held,
                "id": comment.pk,
                "parent": comment.parent_id if comment.level else None,
                "html": render_node(request, comment),
            }
        )
    (messages.info if held else messages.success)(request, message)
    return redirect(comment_back_url(comment, request))


def will_be_posted(request, comment):
    """django-comments' `comment_will_be_posted`, sent as its own view does
    (sender: the comment model) with the unsaved comment: False when a
    receiver refuses it. A receiver may also hold it (`is_public = False`)."""
    responses = comment_signals.comment_will_be_posted.send(
        sender=comment.__class__, comment=comment, request=request
    )
    return all(response is not False for _receiver, response in responses)


def viewer_max_level(comment):
    return max_thread_level_for_content_type(comment.content_type)


def _member_action(request, comment, action):
    """The common checks of like / flag / follow: None when allowed."""
    back = comment_back_url(comment, request)
    denied = get_adapter().participation_denied(request.user)
    if denied:
        return refuse(request, denied, 403, back)
    if comments_closed_reason(comment.content_object):
        return refuse(
            request, comments_closed_reason(comment.content_object), 403, back
        )
    if not ratelimit.consume(request, action, app_settings.RATE_LIMITS):
        return refuse(
            request, _("Too many clicks. Wait a moment, then try again."), 429, back
        )
    return None


@require_POST
def like(request, pk):
    comment = get_visible_comment(request, pk)
    refused = _member_action(request, comment, "reaction")
    if refused:
        return refused
    if comment.user_id == request.user.pk:
        return refuse(
            request,
            _("You cannot like your own comment."),
            400,
            comment_back_url(comment, request),
        )
    liked, count = toggle_like(request.user, comment)
    if wants_json(request):
        return JsonResponse({"ok": True, "liked": liked, "count": count})
    return redirect(comment_back_url(comment, request))


@require_http_methods(["GET", "POST"])
def flag(request, pk):
    comment = get_visible_comment(request, pk)
    refused = (
        _member_action(request, comment, "reaction")
        if request.method == "POST"
        else None
    )
    if request.method == "GET":
        denied = get_adapter().participation_denied(request.user)
        if denied:
            return refuse(request, denied, 403, comment_back_url(comment, request))
    if refused:
        return refused
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = flag_comment(
            request.user,
            comment,
            form.cleaned_data["reason"],
            form.cleaned_data["note"],
        )
        message = (
            _("Thank you. A moderator will look at this comment.")
            if created
            else _("You already reported this comment.")
        )
        if wants_json(request):
            return JsonResponse({"ok": True, "flagged": True, "message": message})
        messages.success(request, message)
        return redirect(comment_back_url(comment, request))
    if request.method == "POST" and wants_json(request):
        return JsonResponse({"ok": False, "message": _("Choose a reason.")}, status=400)
    return render(
        request,
        "community_comments/comment_flag.html",
        {"comment": comment, "form": form, "back": comment_back_url(comment, request)},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def follow(request, pk):
    comment = get_visible_comment(request, pk)
    thread = Comment.objects.filter(pk=comment.thread_id).first() or comment
    refused = _member_action(request, thread, "reaction")
    if refused:
        return refused
    following = toggle_follow(request.user, thread, translation.get_language() or "")
    message = (
        _("You will get an e-mail when someone replies in this thread.")
        if following
        else _("You no longer follow this thread.")
    )
    if wants_json(request):
        return JsonResponse({"ok": True, "following": following, "message": message})
    messages.success(request, message)
    return redirect(comment_back_url(thread, request))


@csrf_exempt  # The signed token is the authentication (RFC 8058 one-click).
@require_http_methods(["GET", "HEAD", "POST"])
def unfollow(request, token):
    """The unsubscribe link of reply e-mails, no sign-in needed. GET (and
    HEAD) only asks, since mail scanners open links; POST unfollows, from the
    page's button or from a mail client's one-click unsubscribe
    (``List-Unsubscribe=One-Click`` in the body, RFC 8058)."""
    try:
        follow_id, user_id = read_unfollow_token(token)
    except signing.SignatureExpired:
        return unfollow_refused(
            request,
            _(
                "This link has expired. Open the thread and use its “Following” "
                "button instead."
            ),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return unfollow_refused(
            request,
            _("This link is not valid. Copy the whole link from the e-mail."),
        )
    follow = (
        ThreadFollow.objects.filter(pk=follow_id, user_id=user_id)
        .select_related("thread")
        .first()
    )
    target = follow.thread.content_object if follow is not None else None
    context = {
        "target": target,
        "target_url": target_url(target, request) if target is not None else None,
    }
    if request.method != "POST":
        if follow is not None:
            return render(request, "community_comments/thread_unfollow.html", context)
        message = _("You already unsubscribed from this thread.")
    else:
        if follow is not None:
            follow.delete()
        message = _("You will no longer get e-mails about this thread.")
    return render(
        request,
        "community_comments/comment_message.html",
        {**context, "title": _("Unsubscribed"), "message": message},
    )


def unfollow_refused(request, message):
    return render(
        request,
        "community_comments/comment_message.html",
        {"title": _("Unsubscribe"), "message": message},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    comment = get_visible_comment(request, pk)
    back = comment_back_url(comment, request)
    if comment.user_id != request.user.pk or not request.user.is_authenticated:
        return refuse(request, _("You can only edit your own comments."), 403, back)
    denied = get_adapter().participation_denied(request.user)
    if denied:
        return refuse(request, denied, 403, back)
    if timezone.now() > comment.editable_until():
        return refuse(request, _("The time to edit this comment is over."), 403, back)
    form = EditCommentForm(request.POST or None, initial={"comment": comment.comment})
    if request.method == "POST":
        if not ratelimit.consume(request, "comment", app_settings.RATE_LIMITS):
            return refuse(
                request,
                _("You are commenting too fast. Wait a minute, then try again."),
                429,
                back,
            )
        if form.is_valid():
            text = form.cleaned_data["comment"]
            verdict = evaluate_edit(comment, text)
            with transaction.atomic():
                comment.comment = text
                comment.edited_at = timezone.now()
                if verdict.held and not comment.is_official:
                    comment.state = Comment.State.PENDING
                    comment.hold_reasons = "; ".join(verdict.reasons)[:255]
                comment.save()
            message = (
                _("Your comment is saved and waits for a moderator.")
                if comment.state == Comment.State.PENDING
                else _("Your comment is saved.")
            )
            if wants_json(request):
                return JsonResponse(
                    {
                        "ok": True,
                        "message": message,
                        "html": render_node(request, comment),
                        "id": comment.pk,
                    }
                )
            messages.success(request, message)
            return redirect(back)
        if wants_json(request):
            return JsonResponse(
                {"ok": False, "message": "; ".join(form.errors.get("comment", []))},
                status=400,
            )
    return render(
        request,
        "community_comments/comment_edit.html",
        {
            "comment": comment,
            "form": form,
            "back": back,
            "max_length": app_settings.MAX_LENGTH,
        },
        status=400 if request.method == "POST" else 200,
    )


def evaluate_edit(comment, text):
    return evaluate(
        text,
        user=comment.user,
        email=None,
        target=comment.content_object,
        target_ct=comment.content_type,
        is_official=comment.is_official,
        content_only=True,
    )


@require_http_methods(["GET", "POST"])
def delete(request, pk):
    comment = get_visible_comment(request, pk)
    back = comment_back_url(comment, request)
    if not request.user.is_authenticated or comment.user_id != request.user.pk:
        return refuse(request, _("You can only delete your own comments."), 403, back)
    if request.method == "POST":
        target = comment.content_object
        outcome = delete_comment(comment)
        message = _("Your comment is deleted.")
        if wants_json(request):
            return JsonResponse({"ok": True, "message": message, "outcome": outcome})
        messages.success(request, message)
        return redirect(target_url(target, request) + "#comments")
    return render(
        request,
        "community_comments/comment_delete.html",
        {"comment": comment, "back": back},
    )


@require_GET
def thread_page(request, content_type, object_pk):
    """A page of threads as an HTML fragment, for "Load more"."""
    target = resolve_target(content_type, object_pk)
    if target is None or not getattr(target, "show_comments", True):
        raise Http404
    context = comment_thread(request, target)
    return render(request, "community_comments/includes/comment_threads.html", context)
