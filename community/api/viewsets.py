"""The API app in the Wagtail admin (Community menu): apps' API keys (each
shown once, when created), the OAuth apps that sign members in (their client
secret shown once), webhook endpoints (their secret shown once) and the
delivery log, with a button to send a delivery again."""

import django_filters
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets

from community.api import credentials
from community.api.forms import ApiKeyForm, OAuthAppForm, WebhookEndpointForm
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


Application = get_application_model()

CLIENT_TYPE_LABELS = {
    "public": _("Public"),
    "confidential": _("Confidential"),
}


def client_type_label(app):
    return CLIENT_TYPE_LABELS.get(app.client_type, app.client_type)


def redirect_uris_text(app):
    return " ".join(app.redirect_uris.split())


class ClientIdPanel(HelpPanel):
    """The app's client ID, read-only with a copy button (when editing)."""

    class BoundPanel(HelpPanel.BoundPanel):
        def is_shown(self):
            return bool(self.instance and self.instance.pk)


class EditOnlyFieldPanel(FieldPanel):
    """A field that only makes sense for an app that exists."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return bool(self.instance and self.instance.pk) and super().is_shown()


class OAuthAppNamesMixin:
    """DOT names its model "application", in English only: these screens
    say "OAuth app(s)", in both languages."""

    verbose_name = _("OAuth app")
    verbose_name_plural = _("OAuth apps")

    def get_breadcrumbs_items(self):
        plural = capfirst(Application._meta.verbose_name_plural)
        return [
            {**item, "label": capfirst(self.verbose_name_plural)}
            if str(item.get("label")) == plural
            else item
            for item in super().get_breadcrumbs_items()
        ]

    def get_page_subtitle(self):
        subtitle = super().get_page_subtitle()
        if str(subtitle) == capfirst(Application._meta.verbose_name):
            return capfirst(self.verbose_name)
        return subtitle

    def get_error_message(self):
        return gettext("The OAuth app could not be saved due to errors.")


class OAuthAppIndexView(OAuthAppNamesMixin, snippets.IndexView):
    page_title = _("OAuth apps")
    add_item_label = _("Register an OAuth app")


class OAuthAppDeleteView(OAuthAppNamesMixin, snippets.DeleteView):
    @property
    def confirmation_message(self):
        return gettext(
            "Delete the OAuth app “%(name)s”? Members signed in through it are "
            "signed out: its tokens go with it."
        ) % {"name": self.object.name}

    def get_success_message(self):
        return gettext("OAuth app “%(name)s” deleted.") % {"name": self.object.name}


class OAuthAppSecretMixin(OAuthAppNamesMixin):
    """Makes the client secret: for a new confidential app, on "Generate a
    new client secret", or when a public app becomes confidential. DOT hashes
    it on save (hash_client_secret), so it is shown once, on the page that
    answers the save, and never again."""

    def save_instance(self):
        instance = self.form.instance
        adding = instance._state.adding
        self.new_secret = None
        if adding:
            instance.hash_client_secret = True
        if instance.client_type == Application.CLIENT_CONFIDENTIAL and (
            adding
            or self.form.cleaned_data.get("new_secret")
            or "client_type" in self.form.changed_data
        ):
            self.new_secret = generate_client_secret()
            instance.client_secret = self.new_secret
        return super().save_instance()

    def form_valid(self, form):
        response = super().form_valid(form)
        if not (self.new_secret or self.show_client_id):
            return response
        shown = TemplateResponse(
            self.request,
            "community_api/oauth_app_saved.html",
            {
                "app": self.object,
                "secret": self.new_secret,
                "created": self.show_client_id,
                "edit_url": reverse(self.edit_url_name, args=[self.object.pk]),
                "index_url": reverse(self.index_url_name),
                "header_icon": "lock",
            },
        )
        add_never_cache_headers(shown)
        return shown


class OAuthAppCreateView(OAuthAppSecretMixin, snippets.CreateView):
    page_title = _("Register an OAuth app")
    show_client_id = True

    def get_success_message(self, instance):
        return gettext("OAuth app “%(name)s” registered.") % {"name": instance.name}


class OAuthAppEditView(OAuthAppSecretMixin, snippets.EditView):
    show_client_id = False

    def get_success_message(self):
        return gettext("OAuth app “%(name)s” saved.") % {"name": self.object.name}


class OAuthAppViewSet(snippets.SnippetViewSet):
    """django-oauth-toolkit's applications, as the site uses them: the
    authorization code grant with PKCE. Editing needs the oauth2_provider
    application permissions (add, change, delete)."""

    model = Application
    edit_handler = ObjectList(
        [
            ClientIdPanel(
                heading=_("Client ID"),
                template="community_api/oauth_app_client_id.html",
            ),
            FieldPanel("name"),
            FieldPanel("client_type"),
            FieldPanel("redirect_uris"),
            EditOnlyFieldPanel("new_secret"),
        ],
        base_form_class=OAuthAppForm,
    )
    index_view_class = OAuthAppIndexView
    add_view_class = OAuthAppCreateView
    edit_view_class = OAuthAppEditView
    delete_view_class = OAuthAppDeleteView
    icon = "lock"
    menu_label = _("OAuth apps")
    menu_name = "oauth_apps"
    url_prefix = "community/api/apps"
    add_to_admin_menu = False
    copy_view_enabled = False
    search_fields = ["name", "client_id"]
    ordering = ["-created"]
    list_display = [
        # The name opens the app's edit view, as in every listing of the admin.
        TitleColumn(
            "name",
            label=pgettext_lazy("object name", "Name"),
            url_name="wagtailsnippets_oauth2_provider_application:edit",
        ),
        Column("client_id", label=_("Client ID"), accessor="client_id"),
        Column("client_type", label=_("Client type"), accessor=client_type_label),
        Column("redirect_uris", label=_("Redirect URIs"), accessor=redirect_uris_text),
        DateColumn("created", label=_("Created"), sort_key="created"),
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
