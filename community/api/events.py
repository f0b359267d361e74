"""Events: read the live events, and register the signed-in member (a place
while there is one, else the waitlist), see or cancel their registration.
Registration goes through the events app's form (the event's questions),
rate limit and `services.register`, as its web view does."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from community.api.access import check_write_rate
from community.api.views import ReadOnlyViewSet
from community.events import app_settings, services
from community.events.forms import RegistrationForm
from community.events.models import EventPage, Registration


class EventSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    locale = serializers.CharField(source="locale.language_code")
    description = serializers.CharField(source="description_text")
    registration = serializers.SerializerMethodField()
    places_left = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta:
        model = EventPage
        fields = [
            "id",
            "title",
            "url",
            "locale",
            "description",
            "start_at",
            "end_at",
            "time_zone",
            "city",
            "venue_name",
            "venue_address",
            "online_url",
            "capacity",
            "places_left",
            "cancelled",
            "registration",
            "questions",
        ]

    def get_url(self, event) -> str:
        return event.get_full_url(self.context.get("request")) or ""

    def get_registration(self, event) -> str:
        """open, not_open, closed or cancelled."""
        return event.registration_state()

    def get_places_left(self, event) -> int | None:
        if event.capacity is None:
            return None
        return max(event.capacity - event.registered, 0)

    def get_questions(self, event) -> list[dict]:
        return [
            {
                "field": f"q_{block.id}",
                "label": str(block.value["label"]),
                "kind": block.block.kind,
                "required": bool(block.value.get("required")),
                "choices": list(block.value.get("choices") or []),
            }
            for block in event.questions
        ]


class RegistrationSerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="event_id")

    class Meta:
        model = Registration
        fields = ["id", "event", "status", "answers", "created_at", "cancelled_at"]


class NewRegistrationSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text='The event\'s questions by "field": {"q_…": "answer"}.',
    )


@extend_schema_view(
    list=extend_schema(
        summary="Events",
        parameters=[OpenApiParameter("past", bool, description="past events instead")],
    ),
    retrieve=extend_schema(summary="An event"),
)
class EventViewSet(ReadOnlyViewSet):
    serializer_class = EventSerializer
    write_scopes = {"registration": "write:registrations"}

    def get_queryset(self):
        events = (
            EventPage.objects.live()
            .public()
            .select_related("locale")
            .annotate(
                registered=Count(
                    "registrations",
                    filter=Q(registrations__status=Registration.Status.REGISTERED),
                )
            )
        )
        if self.action != "list":
            return events
        if self.request.query_params.get("past") in ("1", "true"):
            return events.filter(end_at__lte=timezone.now()).order_by("-start_at")
        return events.filter(end_at__gt=timezone.now()).order_by("start_at")

    @extend_schema(
        summary="The member's registration: see (GET), register (POST), cancel "
        "(DELETE)",
        request=NewRegistrationSerializer,
        responses={200: RegistrationSerializer, 201: RegistrationSerializer},
    )
    @action(detail=True, methods=["get", "post", "delete"])
    def registration(self, request, pk=None):
        event = self.get_object()
        user = request.user
        if not user.is_authenticated:
            raise exceptions.PermissionDenied(_("This needs a member's access token."))
        if request.method == "GET":
            registration = Registration.objects.filter(event=event, user=user).first()
            if registration is None:
                raise exceptions.NotFound(_("You are not registered for this event."))
            return Response(RegistrationSerializer(registration).data)
        check_write_rate(
            request,
            "event_registration",
            app_settings.RATE_LIMITS,
            _("Too many requests. Wait a minute and try again."),
        )
        try:
            if request.method == "DELETE":
                registration = services.cancel(event, user)
                return Response(RegistrationSerializer(registration).data)
            data = NewRegistrationSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            form = RegistrationForm(event, data.validated_data.get("answers") or {})
            if not form.is_valid():
                raise exceptions.ValidationError(
                    {k: [str(e) for e in errors] for k, errors in form.errors.items()}
                )
            registration = services.register(
                event, user, answers=form.answers(), request=request
            )
        except services.RegistrationError as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return Response(
            RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED
        )


def register(router):
    router.register("events", EventViewSet, basename="event")
