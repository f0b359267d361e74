"""The member's pages: public profile, settings, data export, account deletion."""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from community import app_settings
from community.accounts import rate_limited
from community.adapter import get_adapter
from community.forms import DeleteAccountForm, ProfileForm
from community.models import Profile
from community.privacy import delete_account, export_user_data


def member(request, key):
    """A member's public profile, by user id or username. A key that can be
    neither is a 404: one with a NUL byte or longer than a username; only
    ASCII digits are an id ("²".isdigit() is true, but int("²") fails), and
    an id beyond the column's range matches nobody."""
    model = get_user_model()
    if "\x00" in key or len(key) > model._meta.get_field("username").max_length:
        raise Http404
    users = model.objects.filter(is_active=True)
    user = None
    if key.isascii() and key.isdigit():
        user = users.filter(pk=int(key)).first()
    if user is None:
        user = users.filter(username=key).first()
    if user is None:
        raise Http404
    profile = Profile.for_user(user)
    return render(
        request,
        "community/member.html",
        {
            "member": user,
            "profile": profile,
            "interests": sorted(profile.interests.names()),
            "is_self": request.user == user,
            "page_title": profile.name,
        },
    )


def too_many(request):
    response = render(
        request,
        "community/too_many_requests.html",
        {"page_title": _("Slow down")},
        status=429,
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    profile = Profile.for_user(request.user)
    if request.method == "POST":
        # Who asks and how often come first: a refused request never has its
        # pictures opened.
        if rate_limited(request, "profile_update"):
            return too_many(request)
        denied = get_adapter(request).participation_denied(
            request.user, require_verified_email=False
        )
        form = ProfileForm(
            request.POST, None if denied else request.FILES, instance=profile
        )
        if denied and request.FILES.get("avatar_upload"):
            form.add_error("avatar_upload", denied)
        if form.is_valid():
            form.save()
            if form.avatar_pending:
                messages.success(
                    request,
                    _("Your profile is saved. Your new avatar shows in a moment."),
                )
            else:
                messages.success(request, _("Your profile is saved."))
            return redirect("community:account_settings")
    else:
        form = ProfileForm(instance=profile)
    return render(
        request,
        "community/account_settings.html",
        {"form": form, "profile": profile, "page_title": _("Account settings")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_export(request):
    if request.method == "GET":
        return render(
            request,
            "community/account_export.html",
            {"page_title": _("Download my data")},
        )
    if rate_limited(request, "account_export"):
        return too_many(request)
    data = export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"my-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    user = request.user
    if request.method == "POST":
        if rate_limited(request, "account_delete"):
            return too_many(request)
        form = DeleteAccountForm(request.POST, user=user)
        if form.is_valid():
            logout(request)
            delete_account(user)
            messages.success(
                request, _("Your account is deleted. Thank you for being with us.")
            )
            return redirect("/")
    else:
        form = DeleteAccountForm(user=user)
    return render(
        request,
        "community/account_delete.html",
        {
            "form": form,
            "phrase": DeleteAccountForm.expected_phrase(),
            "content_mode": app_settings.DELETED_ACCOUNT_CONTENT,
            "page_title": _("Delete my account"),
        },
    )
