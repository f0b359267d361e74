"""The API app in the Wagtail admin (Community menu): apps' API keys (each
shown once, when created), webhook endpoints (their secret shown once) and
the delivery log, with a button to send a delivery again."""

import django_filters
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets

from community.api import credentials
from community.api.forms import ApiKeyForm, WebhookEndpointForm
from community.api.models import ApiKey, WebhookDelivery, WebhookEndpoint
from community.api.tasks import redeliver


class ApiKeyCreateView(snippets.CreateView):
    def save_instance(self):
        self.new_key = credentials.new_api_key()
        self.form.instance.set_key(self.new_key)
        self.form.instance.created_by = self.request.user
        return super().save_instance()

    def get_success_message(self, instance):
        return gettext(
            "API key “%(name)s” created: %(key)s — copy it now, it is not shown again."
        ) % {"name": instance.name, "key": self.new_key}


class ApiKeyViewSet(snippets.SnippetViewSet):
    model = ApiKey
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("active")], base_form_class=ApiKeyForm
    )
    add_view_class = ApiKeyCreateView
    icon = "key"
    menu_label = _("API keys")
    menu_name = "api_keys"
    url_prefix = "community/api/keys"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = [
        Column("name", label=pgettext_lazy("object name", "Name"), accessor="name"),
        Column("lookup", label=_("Starts with"), accessor="lookup"),
        BooleanColumn("active", label=_("Active")),
        DateColumn("created_at", label=_("Created"), sort_key="created_at"),
        DateColumn("last_used_at", label=_("Last used"), sort_key="last_used_at"),
    ]


class SecretMixin:
    def save_instance(self):
        instance = self.form.instance
        self.new_secret = None
        if not instance.pk or self.form.cleaned_data.get("new_secret"):
            self.new_secret = credentials.new_webhook_secret()
            instance.set_secret(self.new_secret)
        return super().save_instance()

    def get_success_message(self, instance=None):
        instance = instance or self.object
        if self.new_secret:
            return gettext(
                "Webhook “%(name)s” saved. Its secret: %(secret)s — copy it now, "
                "it is not shown again."
            ) % {"name": instance.name, "secret": self.new_secret}
        return gettext("Webhook “%(name)s” saved.") % {"name": instance.name}


class EndpointCreateView(SecretMixin, snippets.CreateView):
    pass


class EndpointEditView(SecretMixin, snippets.EditView):
    pass


class WebhookEndpointViewSet(snippets.SnippetViewSet):
    model = WebhookEndpoint
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("events"),
            FieldPanel("active"),
            FieldPanel("new_secret"),
        ],
        base_form_class=WebhookEndpointForm,
    )
    add_view_class = EndpointCreateView
    edit_view_class = EndpointEditView
    icon = "link-external"
    menu_label = _("Webhooks")
    menu_name = "webhooks"
    url_prefix = "community/api/webhooks"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = [
        Column("name", label=pgettext_lazy("object name", "Name"), accessor="name"),
        Column("url", label=_("URL"), accessor="url"),
        Column("events", label=_("Events"), accessor="events_text"),
        BooleanColumn("active", label=_("Active")),
    ]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The delivery log is written by the site alone: editors read it (and
    send a delivery again) but add or edit nothing."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class DeliveryFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=WebhookDelivery.Status.choices
    )
    endpoint = django_filters.ModelChoiceFilter(
        label=_("Endpoint"), queryset=WebhookEndpoint.objects.all()
    )

    class Meta:
        model = WebhookDelivery
        fields = []


class DeliveryIndexView(snippets.IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            Button(
                _("Send again"),
                url=reverse("community_api_redeliver", args=[instance.pk]),
                icon_name="resubmit",
                priority=15,
            ),
        ]


class RedeliverView(View):
    """Confirm (GET), then send a delivery's event again as a new delivery
    (POST)."""

    def dispatch(self, request, pk):
        if not request.user.has_perm("community_api.view_webhookdelivery"):
            messages.error(request, gettext("You may not send webhooks."))
            return redirect("wagtailadmin_home")
        self.delivery = get_object_or_404(WebhookDelivery, pk=pk)
        return super().dispatch(request, pk)

    def get(self, request, pk):
        return TemplateResponse(
            request,
            "community_api/redeliver.html",
            {"delivery": self.delivery, "header_icon": "resubmit"},
        )

    def post(self, request, pk):
        again = redeliver(self.delivery)
        messages.success(
            request,
            gettext("Delivery %(id)s queued: it sends the same event again.")
            % {"id": again.pk},
        )
        return redirect(WebhookDeliveryViewSet().get_url_name("list"))


class WebhookDeliveryViewSet(snippets.SnippetViewSet):
    model = WebhookDelivery
    index_view_class = DeliveryIndexView
    icon = "history"
    menu_label = _("Webhook deliveries")
    menu_name = "webhook_deliveries"
    url_prefix = "community/api/deliveries"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    filterset_class = DeliveryFilterSet
    list_per_page = 50
    list_display = [
        Column("event", label=_("Event"), accessor="event"),
        Column("endpoint", label=_("Endpoint"), accessor="endpoint"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("response_code", label=_("Answer"), accessor="response_code"),
        Column("attempts", label=_("Attempts"), accessor="attempts"),
        Column("error", label=_("Error"), accessor="error"),
        DateColumn("created_at", label=_("Created"), sort_key="created_at"),
    ]
    inspect_view_fields = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "payload",
    ]

    def get_queryset(self, request):
        return WebhookDelivery.objects.select_related("endpoint")


def admin_urls():
    return [
        path(
            "community/api/deliveries/<int:pk>/send-again/",
            RedeliverView.as_view(),
            name="community_api_redeliver",
        )
    ]
