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
from community.forms import DeleteAccountForm, ProfileForm
from community.models import Profile
from community.privacy import delete_account, export_user_data


def member(request, key):
    """A member's public profile, by user id or username."""
    users = get_user_model().objects.filter(is_active=True)
    user = None
    if key.isdigit():
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
        if rate_limited(request, "profile_update"):
            return too_many(request)
        form = ProfileForm(request.POST, request.FILES, instance=profile)
        if form.is_valid():
            form.save()
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
