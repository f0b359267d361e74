"""Campaigns: read the live campaigns and their contest entries, vote for an
entry as the signed-in member. Voting goes through the campaigns app's
`cast_vote` (who may vote, the day's allowance, one vote per entry, the rate
limit), as its web view does."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from community.api.posts import PostSerializer
from community.api.views import ReadOnlyViewSet, text_param
from community.campaigns import services
from community.campaigns.models import CampaignPage


class CampaignSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    locale = serializers.CharField(source="locale.language_code")
    intro = serializers.CharField(source="plain_intro")
    state = serializers.SerializerMethodField()
    is_contest = serializers.BooleanField()
    voting_starts_at = serializers.DateTimeField(source="voting_start")
    voting_ends_at = serializers.DateTimeField(source="voting_end")

    class Meta:
        model = CampaignPage
        fields = [
            "id",
            "title",
            "url",
            "locale",
            "intro",
            "state",
            "is_contest",
            "starts_at",
            "ends_at",
            "voting_starts_at",
            "voting_ends_at",
            "votes_per_day",
        ]

    def get_url(self, campaign) -> str:
        return campaign.get_full_url(self.context.get("request")) or ""

    def get_state(self, campaign) -> str:
        return str(campaign.state())


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vote_count = serializers.IntegerField()
    post = PostSerializer()


class VoteSerializer(serializers.Serializer):
    post = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The entry's post id."
    )


class VotedSerializer(serializers.Serializer):
    vote_count = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(summary="Campaigns"),
    retrieve=extend_schema(summary="A campaign"),
)
class CampaignViewSet(ReadOnlyViewSet):
    serializer_class = CampaignSerializer
    write_scopes = {"votes": "write:votes"}

    def get_queryset(self):
        return (
            CampaignPage.objects.live()
            .public()
            .select_related("locale")
            .order_by("-starts_at", "-pk")
        )

    @extend_schema(
        summary="The contest's entries",
        parameters=[OpenApiParameter("sort", str, enum=["latest", "votes"])],
        responses=EntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        campaign = self.get_object()
        sort = text_param(request, "sort", 20) or "latest"
        if sort not in ("latest", "votes"):
            raise exceptions.ValidationError({"sort": [_("Unknown sort order.")]})
        entries = services.gallery(campaign, sort=sort).prefetch_related("post__tags")
        page = self.paginate_queryset(entries)
        data = [
            {
                "id": entry.pk,
                "vote_count": entry.vote_count,
                "post": PostSerializer(entry.post, context={"request": request}).data,
            }
            for entry in page
        ]
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Vote for an entry, as the signed-in member",
        request=VoteSerializer,
        responses={201: VotedSerializer},
    )
    @action(detail=True, methods=["post"])
    def votes(self, request, pk=None):
        campaign = self.get_object()
        data = VoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            count = services.cast_vote(request, campaign, data.validated_data["post"])
        except services.Refused as refused:
            error = exceptions.APIException(str(refused.message))
            error.status_code = refused.status
            raise error from None
        return Response({"vote_count": count}, status=status.HTTP_201_CREATED)


def register(router):
    router.register("campaigns", CampaignViewSet, basename="campaign")
