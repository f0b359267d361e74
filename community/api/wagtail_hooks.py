"""Registers the API app's admin parts with Wagtail; no logic here: API keys,
OAuth apps, webhooks and their delivery log in the Community menu, the
redeliver URL and the API docs in the Help menu."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from community.api.viewsets import (
    ApiKeyViewSet,
    OAuthAppViewSet,
    WebhookDeliveryViewSet,
    WebhookEndpointViewSet,
    admin_urls,
)

hooks.register("register_community_viewset", lambda: ApiKeyViewSet)
hooks.register("register_community_viewset", lambda: OAuthAppViewSet)
hooks.register("register_community_viewset", lambda: WebhookEndpointViewSet)
hooks.register("register_community_viewset", lambda: WebhookDeliveryViewSet)
hooks.register("register_admin_urls", admin_urls)


@hooks.register("register_help_menu_item")
def api_docs_menu_item():
    return MenuItem(
        _("API documentation"),
        reverse("community_api:docs"),
        icon_name="code",
        order=1000,
    )
