"""Reports → Own-media posts in the Wagtail admin: every post to the company's
accounts with where it stands (scheduled, queued, sent with a link to the
remote post, failed with the platform's words, retrying), the visits and
sign-ups its link brought, and buttons to retry or cancel it."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from . import publishing, shareables
from .models import OwnMediaAccount, OwnMediaPost, PublishAttempt, publishing_accounts
from .registry import registry


def publish_platform_choices():
    return [(platform.id, platform.name) for platform in registry.publish_platforms()]


class PublishAttemptFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=PublishAttempt.STATE_CHOICES
    )
    platform = django_filters.ChoiceFilter(
        label=_("Platform"), choices=publish_platform_choices
    )

    class Meta:
        model = PublishAttempt
        fields = []


class PublishAttemptPermissionPolicy(ModelPermissionPolicy):
    """Posts are made in the page editor, never added or edited here; "change"
    lets an editor retry or cancel one."""

    def user_has_permission(self, user, action):
        if action in {"add", "copy"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


#: Registered for PublishAttempt in the app's ready().
permission_policy = PublishAttemptPermissionPolicy(PublishAttempt)


def remote_link(attempt):
    if attempt.remote_url:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
            attempt.remote_url,
            _("View post"),
        )
    return attempt.remote_id or ""


class StatusColumn(Column):
    cell_template_name = "sharing/admin/publish_status_cell.html"


class PublishAttemptIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("account")

    def get_edit_url(self, instance):
        return None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not self.permission_policy.user_has_permission(self.request.user, "change"):
            return buttons
        if instance.can_retry:
            buttons.append(
                ListingButton(
                    _("Retry"),
                    url=reverse("sharing_publishing:retry", args=(instance.pk,)),
                    icon_name="rotate",
                    priority=5,
                )
            )
        if instance.can_cancel:
            buttons.append(
                ListingButton(
                    _("Cancel"),
                    url=reverse("sharing_publishing:cancel", args=(instance.pk,)),
                    icon_name="cross",
                    priority=6,
                )
            )
        return buttons


class PublishAttemptEditView(EditView):
    """Posts are not edited after they were queued: retry or cancel them."""

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class PublishAttemptInspectView(InspectView):
    def get_edit_url(self):
        return None

    def get_header_buttons(self):
        buttons = list(super().get_header_buttons())
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            if self.object.can_retry:
                buttons.append(
                    HeaderButton(
                        _("Retry"),
                        url=reverse("sharing_publishing:retry", args=(self.object.pk,)),
                        icon_name="rotate",
                    )
                )
            if self.object.can_cancel:
                buttons.append(
                    HeaderButton(
                        _("Cancel"),
                        url=reverse(
                            "sharing_publishing:cancel", args=(self.object.pk,)
                        ),
                        icon_name="cross",
                    )
                )
        return buttons

    def get_remote_url_display_value(self):
        return remote_link(self.object) or "—"

    def get_state_display_value(self):
        return self.object.status_label


class PublishAttemptViewSet(ModelViewSet):
    model = PublishAttempt
    name = "own_media_posts"
    url_prefix = "reports/own-media-posts"
    icon = "upload"
    menu_label = _("Own-media posts")
    menu_name = "own_media_posts"
    index_view_class = PublishAttemptIndexView
    inspect_view_class = PublishAttemptInspectView
    edit_view_class = PublishAttemptEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["body"]
    filterset_class = PublishAttemptFilterSet
    search_fields = ["title", "text", "account_label"]
    search_backend_name = None
    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    list_display = [
        Column("title", label=_("Page"), accessor="title"),
        Column("account", label=_("Account"), accessor="account_label"),
        StatusColumn("state", label=_("State")),
        Column("remote", label=_("Remote post"), accessor=remote_link),
        Column("tries", label=_("Tries"), accessor="tries"),
        Column("visits", label=_("Visits"), accessor="visits"),
        Column("signups", label=_("Sign-ups"), accessor="signups"),
        DateColumn("next_try_at", label=_("Due"), sort_key="next_try_at"),
        DateColumn("sent_at", label=_("Sent"), sort_key="sent_at"),
    ]
    list_export = [
        "pk",
        "title",
        "url",
        "platform",
        "account_label",
        "state",
        "tries",
        "error",
        "remote_id",
        "remote_url",
        "sent_at",
        "visits",
        "signups",
    ]
    inspect_view_fields = [
        "title",
        "url",
        "account_label",
        "state",
        "text",
        "link",
        "tries",
        "next_try_at",
        "error",
        "remote_url",
        "sent_at",
        "visits",
        "signups",
        "created_by",
        "created_at",
    ]


class AttemptActionView(TemplateView):
    """Confirm, then retry or cancel a post (POST only changes it)."""

    template_name = "sharing/admin/publish_action.html"
    action = ""

    def dispatch(self, request, pk):
        if not permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.attempt = get_object_or_404(PublishAttempt, pk=pk)
        return super().dispatch(request, pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            attempt=self.attempt,
            action=self.action,
            index_url=reverse("own_media_posts:index"),
        )
        return context

    def post(self, request, pk):
        if self.action == "retry":
            attempt = publishing.retry(self.attempt)
            done = attempt.state != PublishAttempt.FAILED and not attempt.can_retry
            text = _("The post is queued again.") if done else None
        else:
            attempt = publishing.cancel(self.attempt)
            done = attempt.state == PublishAttempt.CANCELLED
            text = _("The post is cancelled.") if done else None
        if text:
            messages.success(request, text)
        else:
            messages.error(request, _("The post can no longer be changed that way."))
        return redirect("own_media_posts:inspect", pk=attempt.pk)


class PublishObjectForm(forms.Form):
    """Posts of one shareable object (a community post an editor features,
    say) to chosen accounts, with one text."""

    accounts = forms.ModelMultipleChoiceField(
        label=_("Accounts"),
        queryset=OwnMediaAccount.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    hashtags = forms.CharField(label=_("Hashtags"), max_length=200, required=False)
    publish_at = forms.DateTimeField(
        label=_("Post at"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=_("Leave empty to post now."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"].queryset = (
            OwnMediaAccount.objects.filter(publishing_accounts())
            .select_related("settings__site")
            .order_by("settings_id", "sort_order")
        )

    def clean(self):
        data = super().clean()
        for account in data.get("accounts") or []:
            # The same checks as a post in the page editor.
            post = OwnMediaPost(
                account=account,
                text=data.get("text", ""),
                hashtags=data.get("hashtags", ""),
            )
            try:
                post.clean()
            except forms.ValidationError as error:
                for messages_ in error.message_dict.values():
                    for message in messages_:
                        self.add_error(None, f"{account.display_name}: {message}")
        return data


class PublishObjectView(FormView):
    """Admin → Reports → Own-media posts → new/<kind>/<pk>/: publish any
    Shareable of SHARING_SHAREABLES (the page editor has its own panel)."""

    template_name = "sharing/admin/publish_object.html"
    form_class = PublishObjectForm

    def dispatch(self, request, kind, pk):
        if not permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.obj = shareables.resolve(request, kind, pk)
        if self.obj is None:
            raise Http404("Nothing shareable by that name.")
        return super().dispatch(request, kind, pk)

    def get_initial(self):
        return {"text": self.obj.get_share_title()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(obj=self.obj, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        with transaction.atomic():
            for account in data["accounts"]:
                publishing.create_attempt(
                    self.obj,
                    account,
                    data["text"],
                    hashtags=data["hashtags"],
                    publish_at=data["publish_at"],
                    user=self.request.user,
                )
        messages.success(self.request, _("The posts are queued."))
        return redirect("own_media_posts:index")


admin_urlpatterns = [
    path(
        "new/<slug:kind>/<int:pk>/", PublishObjectView.as_view(), name="publish_object"
    ),
    path("<int:pk>/retry/", AttemptActionView.as_view(action="retry"), name="retry"),
    path(
        "<int:pk>/cancel/",
        AttemptActionView.as_view(action="cancel"),
        name="cancel",
    ),
]
