"""What every endpoint of the API shares (credentials, pagination, errors,
limits), the member's own endpoint, the OpenAPI schema and its docs page."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import JsonResponse
from django.templatetags.static import static
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

from community.adapter import get_adapter
from community.api import app_settings
from community.api import schema as _schema  # noqa: F401 (registers the schemes)
from community.api.access import (
    API_KEY_HEADER,
    ApiAccess,
    ApiKeyAuthentication,
    TokenAuthentication,
    check_read_rate,
)

logger = logging.getLogger(__name__)

#: A primary key in a URL: ASCII digits within the database's integers.
PK_PATTERN = "[0-9]{1,18}"


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        self.page_size = app_settings.PAGE_SIZE
        self.max_page_size = app_settings.MAX_PAGE_SIZE
        return super().get_page_size(request)


def handle_exception(exc, context):
    """DRF's answers, and a 400 rather than a 500 for values the database
    or a model refuses (a safety net: the endpoints check first)."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.messages)
    elif isinstance(exc, DataError | OverflowError):
        logger.warning("API request refused by the database: %s", exc)
        exc = exceptions.ValidationError(_("A value is out of range."))
    return exception_handler(exc, context)


class ApiMixin:
    """The API's way for every view: its credentials, access rules, JSON in
    and out, pagination, schema and read limit."""

    authentication_classes = [TokenAuthentication, ApiKeyAuthentication]
    permission_classes = [ApiAccess]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    pagination_class = Pagination
    lookup_value_regex = PK_PATTERN
    schema = AutoSchema()
    #: action -> the token scope a write needs.
    write_scopes = {}

    def get_exception_handler(self):
        return handle_exception

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Answers depend on the caller's credentials: no shared cache (a CDN,
        # Varnish) keeps them.
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Authorization", API_KEY_HEADER])
        if response.status_code == 404:
            # A project whose pages are under a language prefix has
            # LocaleMiddleware redirect a 404 to the prefixed path (where its
            # page tree answers everything): judged against the API's own
            # URLs, an API 404 stays a 404.
            request._request.urlconf = "community.api.urls"
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            check_read_rate(request)


class ReadOnlyViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    pass


def digits(request, name):
    """The query parameter `name` as an id, None when absent; a 400 when
    it is not one."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise exceptions.ValidationError({name: [_("Give a number.")]})
    return int(value)


def text_param(request, name, max_length=100):
    """The query parameter `name` as text (no NUL, at most `max_length`)."""
    value = request.query_params.get(name, "")
    if "\x00" in value or len(value) > max_length:
        raise exceptions.ValidationError({name: [_("This value is not accepted.")]})
    return value.strip()


class LikeSerializer(serializers.Serializer):
    liked = serializers.BooleanField()
    like_count = serializers.IntegerField()


# The member


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    avatar = serializers.CharField(allow_blank=True)


def member_data(user, request=None):
    """How the API shows a member: their public name and avatar, never their
    e-mail address."""
    if user is None:
        return None
    profile = getattr(user, "community_profile", None)
    avatar = ""
    if profile is not None and getattr(profile, "avatar_small", None):
        avatar = profile.avatar_small.url
    if avatar and request is not None:
        avatar = request.build_absolute_uri(avatar)
    return {
        "id": user.pk,
        "name": str(get_adapter().author_name(user)),
        "avatar": avatar,
    }


class MeSerializer(MemberSerializer):
    may_take_part = serializers.BooleanField()
    why_not = serializers.CharField(allow_blank=True)
    scopes = serializers.ListField(child=serializers.CharField())


class MeViewSet(ApiMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The member whose token the app holds."""

    pagination_class = None
    serializer_class = MeSerializer

    @extend_schema(summary="The signed-in member", responses=MeSerializer)
    def list(self, request):
        user = request.user
        if not user.is_authenticated:
            raise exceptions.PermissionDenied(_("This needs a member's access token."))
        denied = get_adapter(request).participation_denied(user)
        return Response(
            {
                **member_data(user, request),
                "may_take_part": denied is None,
                "why_not": str(denied or ""),
                "scopes": sorted(request.auth.scope.split()),
            }
        )


def not_found(request, *args, **kwargs):
    """Any other URL under the API's prefix: a JSON 404 (not the site's page,
    nor LocaleMiddleware's redirect to a language prefix)."""
    request.urlconf = "community.api.urls"
    return JsonResponse({"detail": str(_("Not found."))}, status=404)


# The schema and its docs page


def only_this_api(endpoints, **kwargs):
    """drf-spectacular's preprocessing hook: the schema describes this API
    alone, not other DRF views of the project (Wagtail's admin API)."""
    return [
        endpoint
        for endpoint in endpoints
        if issubclass(getattr(endpoint[3], "cls", object), ApiMixin)
    ]


SCHEMA_SETTINGS = {
    "TITLE": "Socialsite community API",
    "DESCRIPTION": "Read the site's pages, community posts, comments, events "
    "and campaigns; write for a signed-in member. See the site's docs/api.md.",
    "VERSION": "1",
    "PREPROCESSING_HOOKS": ["community.api.views.only_this_api"],
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
}


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of the API (YAML, or JSON with ?format=json)."""

    custom_settings = SCHEMA_SETTINGS
    authentication_classes = []
    permission_classes = []


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the site's own static files (drf-spectacular-sidecar),
    its set-up script a separate file, so the strict CSP holds."""

    authentication_classes = []
    permission_classes = []
    url_name = "community_api:schema"
    title = "Socialsite community API"
    template_name = "community_api/docs.html"

    @staticmethod
    def _swagger_ui_resource(filename):
        return static(f"drf_spectacular_sidecar/swagger-ui-dist/{filename}")

    @staticmethod
    def _swagger_ui_favicon():
        return static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png")
