"""Pages: the site's live, public Wagtail pages (what visitors can read).

Wagtail's own API v2 is also DRF, but has its own router, field selection and
pagination (offset/limit); these endpoints follow the rest of this API
instead (same credentials, page-number pagination, one schema), and give the
fields an app lists and links to. The page's content itself is its URL."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from wagtail.models import Page

from community.api.views import ReadOnlyViewSet, digits, text_param


class PageSerializer(serializers.ModelSerializer):
    type = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    locale = serializers.CharField(source="locale.language_code")
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Page
        fields = [
            "id",
            "title",
            "slug",
            "type",
            "url",
            "locale",
            "parent",
            "search_description",
            "first_published_at",
            "last_published_at",
        ]

    def get_type(self, page) -> str:
        content_type = ContentType.objects.get_for_id(page.content_type_id)
        return f"{content_type.app_label}.{content_type.model}"

    def get_url(self, page) -> str:
        return page.get_full_url(self.context.get("request")) or ""

    def get_parent(self, page) -> int | None:
        return page.parent_id if page.depth > 2 else None


@extend_schema_view(
    list=extend_schema(
        summary="Live public pages",
        parameters=[
            OpenApiParameter("type", str, description='"app_label.model"'),
            OpenApiParameter("locale", str, description='e.g. "en", "zh-hans"'),
            OpenApiParameter("child_of", int, description="a page id"),
        ],
    ),
    retrieve=extend_schema(summary="A live public page"),
)
class PageViewSet(ReadOnlyViewSet):
    serializer_class = PageSerializer

    def get_queryset(self):
        pages = (
            Page.objects.live()
            .public()
            .filter(depth__gt=1)
            .select_related("locale")
            .annotate(
                parent_id=Subquery(
                    Page.objects.filter(
                        path=Substr(
                            OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen
                        )
                    ).values("pk")[:1]
                )
            )
            .order_by("path")
        )
        if self.action != "list":
            return pages
        request = self.request
        kind = text_param(request, "type")
        if kind:
            app_label, _dot, model = kind.lower().partition(".")
            try:
                content_type = ContentType.objects.get_by_natural_key(app_label, model)
            except ContentType.DoesNotExist:
                raise exceptions.ValidationError(
                    {"type": [_("No such page type.")]}
                ) from None
            pages = pages.filter(content_type=content_type)
        locale = text_param(request, "locale", 20)
        if locale:
            pages = pages.filter(locale__language_code=locale)
        parent_id = digits(request, "child_of")
        if parent_id is not None:
            parent = Page.objects.filter(pk=parent_id).first()
            if parent is None:
                return pages.none()
            pages = pages.child_of(parent)
        return pages


def register(router):
    router.register("pages", PageViewSet, basename="page")
