"""Comments: read the published comments of anything that takes comments
(pages, posts), write one or a reply, like one. Writing goes through the
comments app's form, moderation policies, rate limit and signals, as its web
view does: the same text is refused, held or published the same way."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.shortcuts import get_current_site
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_comments import signals as comment_signals
from django_comments_xtd.models import (
    MaxThreadLevelExceededException,
    max_thread_level_for_content_type,
)
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from community import ratelimit
from community.adapter import get_adapter
from community.api.access import check_write_rate, refuse_participation, set_like
from community.api.views import (
    LikeSerializer,
    ReadOnlyViewSet,
    digits,
    member_data,
    text_param,
)
from community.comments import app_settings
from community.comments.forms import CommentForm
from community.comments.models import Comment, CommentReaction
from community.comments.moderation import DuplicateComment, evaluate
from community.comments.notifications import notify_new_comment
from community.comments.services import (
    comments_closed_reason,
    resolve_target,
    toggle_like,
)

TOO_DEEP = _("This thread is as deep as it goes: reply to an earlier comment.")


class CommentSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()
    html = serializers.CharField(source="comment_html")
    submitted_at = serializers.DateTimeField(source="submit_date")
    deleted = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "target",
            "parent",
            "thread_id",
            "level",
            "author",
            "html",
            "state",
            "is_official",
            "like_count",
            "submitted_at",
            "edited_at",
            "deleted",
        ]

    def get_parent(self, comment) -> int | None:
        return comment.parent_id if comment.level else None

    def get_author(self, comment) -> dict | None:
        return member_data(comment.user, self.context.get("request"))

    def get_target(self, comment) -> str:
        content_type = ContentType.objects.get_for_id(comment.content_type_id)
        return f"{content_type.app_label}.{content_type.model}:{comment.object_pk}"

    def get_deleted(self, comment) -> bool:
        return comment.deleted_at is not None


class NewCommentSerializer(serializers.Serializer):
    content_type = serializers.CharField(
        max_length=100, help_text='What is commented on: "app_label.model".'
    )
    object_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    comment = serializers.CharField(
        max_length=20_000, help_text="Markdown, as in the site's comment form."
    )
    reply_to = serializers.IntegerField(
        required=False, min_value=0, max_value=2**63 - 1, default=0
    )


class CreatedCommentSerializer(serializers.Serializer):
    comment = CommentSerializer()
    held = serializers.BooleanField()
    message = serializers.CharField()


def visible_to(user):
    """Published comments (and placeholders of deleted ones), plus the
    member's own held ones."""
    visible = models.Q(state=Comment.State.PUBLISHED)
    if user.is_authenticated:
        visible |= models.Q(state=Comment.State.PENDING, user=user)
    return Comment.objects.filter(visible).select_related("user__community_profile")


@extend_schema_view(
    list=extend_schema(
        summary="The comments on a page or post",
        parameters=[
            OpenApiParameter(
                "content_type", str, required=True, description='"app_label.model"'
            ),
            OpenApiParameter("object_id", int, required=True),
        ],
    ),
    retrieve=extend_schema(summary="A comment"),
)
class CommentViewSet(ReadOnlyViewSet):
    serializer_class = CommentSerializer
    write_scopes = {"create": "write:comments", "like": "write:likes"}

    def get_queryset(self):
        comments = visible_to(self.request.user)
        if self.action != "list":
            return comments
        target = self.target(
            text_param(self.request, "content_type"),
            digits(self.request, "object_id"),
        )
        return comments.for_object(target).order_by("thread_id", "order")

    def target(self, content_type, object_id):
        if not content_type or object_id is None:
            raise exceptions.ValidationError(
                _("Name what the comments are on: content_type and object_id.")
            )
        target = resolve_target(content_type, object_id)
        if target is None:
            raise exceptions.NotFound(_("This page does not take comments."))
        return target

    @extend_schema(
        summary="Comment or reply, as the signed-in member",
        request=NewCommentSerializer,
        responses={201: CreatedCommentSerializer},
    )
    def create(self, request):
        data = NewCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        target = self.target(values["content_type"], values["object_id"])
        comment, message = post_comment(request, target, values)
        return Response(
            {
                "comment": CommentSerializer(
                    comment, context={"request": request}
                ).data,
                "held": comment.state == Comment.State.PENDING,
                "message": str(message),
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Like (POST) or unlike (DELETE)", request=None, responses=LikeSerializer
    )
    @action(detail=True, methods=["post", "delete"])
    def like(self, request, pk=None):
        comment = self.get_object()
        if comment.state != Comment.State.PUBLISHED or comment.deleted_at:
            raise exceptions.NotFound(_("This comment is not published."))
        user = request.user
        refuse_participation(comments_closed_reason(comment.content_object))
        refuse_participation(get_adapter(request).participation_denied(user))
        if comment.user_id == user.pk:
            raise exceptions.PermissionDenied(_("You cannot like your own comment."))
        return set_like(
            request,
            comment,
            "reaction",
            app_settings.RATE_LIMITS,
            CommentReaction.objects.filter(comment=comment),
            toggle_like,
        )


def post_comment(request, target, values):
    """Save a member's comment on `target` as the web form does; returns
    (comment, message). Raises the API's exceptions when refused."""
    user = request.user
    refuse_participation(comments_closed_reason(target))
    refuse_participation(get_adapter(request).participation_denied(user))
    check_write_rate(
        request,
        "comment",
        app_settings.RATE_LIMITS,
        _("You are commenting too fast. Wait a minute, then try again."),
    )
    # The web form with its own security fields: its length limit and
    # cleaning apply unchanged.
    form = CommentForm(target, user=user)
    form = CommentForm(
        target,
        user=user,
        data={
            **form.generate_security_data(),
            "comment": values["comment"],
            "reply_to": values["reply_to"],
            "honeypot": "",
        },
    )
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                key: [str(error) for error in errors]
                for key, errors in form.errors.items()
            }
        )
    parent = None
    if values["reply_to"]:
        parent = (
            Comment.objects.for_object(target).filter(pk=values["reply_to"]).first()
        )
        if parent is None or not parent.is_public or parent.is_deleted:
            raise exceptions.ValidationError(
                {"reply_to": [_("You can only reply to a published comment.")]}
            )
        if parent.level >= max_thread_level_for_content_type(parent.content_type):
            raise exceptions.ValidationError({"reply_to": [TOO_DEEP]})
    text = form.cleaned_data["comment"]
    data = form.get_comment_create_data(site_id=get_current_site(request).pk)
    try:
        verdict = evaluate(
            text,
            user=user,
            email=data["user_email"],
            target=target,
            target_ct=data["content_type"],
        )
    except DuplicateComment:
        raise exceptions.ValidationError(
            {"comment": [_("You already posted this comment here.")]}
        ) from None
    data.pop("content_object", None)
    state = Comment.State.PENDING if verdict.held else Comment.State.PUBLISHED
    extra = {
        "state": state,
        "is_public": state == Comment.State.PUBLISHED,
        "hold_reasons": "; ".join(verdict.reasons)[:255],
        "language": translation.get_language() or "",
        "ip_address": ratelimit.client_ip(request),
    }
    comment = Comment(**{**data, **extra}, user=user)
    responses = comment_signals.comment_will_be_posted.send(
        sender=Comment, comment=comment, request=request
    )
    if any(response is False for _receiver, response in responses):
        raise exceptions.ValidationError(_("This comment was not accepted."))
    if comment.state == Comment.State.PUBLISHED and not comment.is_public:
        comment.state = Comment.State.PENDING
    try:
        with transaction.atomic():
            comment.save()
            if comment.state == Comment.State.PUBLISHED:
                transaction.on_commit(lambda: notify_new_comment(comment))
    except MaxThreadLevelExceededException:
        raise exceptions.ValidationError(TOO_DEEP) from None
    comment_signals.comment_was_posted.send(
        sender=Comment, comment=comment, request=request
    )
    if comment.state == Comment.State.PENDING:
        return comment, _(
            "Thank you. Your comment is waiting for a moderator and will appear "
            "once approved."
        )
    return comment, _("Your comment is published.")


def register(router):
    router.register("comments", CommentViewSet, basename="comment")
