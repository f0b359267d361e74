"""Community boards and posts: read the boards and their published posts,
write a post (text posts: stories, questions, reviews; pictures stay on the
web form), like one. Writing goes through the posts app's form, moderation
policy, rate limit and `save_post`, as its web view does.

Posts are written only on plain community boards: a campaign's board takes
entries under the contest's own rules, on the campaign's page."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from community.api.access import check_write_rate, refuse_participation, set_like
from community.api.views import (
    LikeSerializer,
    ReadOnlyViewSet,
    digits,
    member_data,
    text_param,
)
from community.posts import app_settings
from community.posts.forms import PostForm
from community.posts.models import CommunityBoardPage, Post, PostReaction
from community.posts.services import (
    SORTS,
    posting_denied,
    save_post,
    toggle_like,
)


def plain_boards():
    return (
        CommunityBoardPage.objects.live()
        .public()
        .filter(content_type=ContentType.objects.get_for_model(CommunityBoardPage))
    )


class BoardSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    kinds = serializers.SerializerMethodField()
    locale = serializers.CharField(source="locale.language_code")
    closed = serializers.BooleanField(source="is_closed")

    class Meta:
        model = CommunityBoardPage
        fields = ["id", "title", "url", "locale", "kinds", "closed", "who_may_post"]

    def get_url(self, board) -> str:
        return board.get_full_url(self.context.get("request")) or ""

    def get_kinds(self, board) -> list[str]:
        return [kind for kind, _label in board.allowed_kinds()]


class PostSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    board = serializers.IntegerField(source="board_id")
    html = serializers.CharField(source="body_html")
    tags = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "board",
            "kind",
            "state",
            "title",
            "html",
            "tags",
            "images",
            "rating",
            "author",
            "url",
            "language",
            "like_count",
            "comment_count",
            "created_at",
            "published_at",
        ]

    def get_author(self, post) -> dict | None:
        return member_data(post.author, self.context.get("request"))

    def get_tags(self, post) -> list[str]:
        return sorted(tag.name for tag in post.tags.all())

    def get_images(self, post) -> list[dict]:
        request = self.context.get("request")
        return [
            {
                "url": request.build_absolute_uri(image.image.url),
                "width": image.width,
                "height": image.height,
                "alt": image.alt_text,
            }
            for image in post.images.all()
            if image.image
        ]

    def get_url(self, post) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(post.get_url(request))


class NewPostSerializer(serializers.Serializer):
    board = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.CharField(max_length=10, help_text="story, question, review")
    title = serializers.CharField(max_length=120)
    body = serializers.CharField(max_length=100_000, required=False, allow_blank=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=20, required=False
    )
    product = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1
    )
    rating = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=5
    )
    draft = serializers.BooleanField(required=False, default=False)


class CreatedPostSerializer(serializers.Serializer):
    post = PostSerializer()
    message = serializers.CharField()


@extend_schema_view(list=extend_schema(summary="Community boards that take posts"))
class BoardViewSet(ReadOnlyViewSet):
    serializer_class = BoardSerializer

    def get_queryset(self):
        return plain_boards().select_related("locale").order_by("path")


@extend_schema_view(
    list=extend_schema(
        summary="Posts",
        parameters=[
            OpenApiParameter("board", int),
            OpenApiParameter("tag", str),
            OpenApiParameter("sort", str, enum=list(SORTS)),
            OpenApiParameter("mine", bool, description="the member's own, any state"),
        ],
    ),
    retrieve=extend_schema(summary="A post"),
)
class PostViewSet(ReadOnlyViewSet):
    serializer_class = PostSerializer
    write_scopes = {"create": "write:posts", "like": "write:likes"}

    def get_queryset(self):
        user = self.request.user
        posts = (
            Post.objects.visible_to(user)
            .filter(board__live=True)
            .select_related("board", "author__community_profile")
            .prefetch_related("images", "tags")
        )
        if not (user.is_authenticated and user.has_perm("community_posts.change_post")):
            # Others' drafts and held posts are their own business.
            posts = posts.filter(
                Q(processing_pictures=False, state=Post.State.PUBLISHED)
                | Q(author_id=user.pk or 0)
            )
        if self.action != "list":
            return posts
        request = self.request
        board = digits(request, "board")
        if board is not None:
            posts = posts.filter(board_id=board)
        tag = text_param(request, "tag", 40)
        if tag:
            posts = posts.filter(tags__name__iexact=tag)
        if request.query_params.get("mine") in ("1", "true"):
            posts = posts.filter(author_id=user.pk or 0)
        sort = text_param(request, "sort", 20) or "latest"
        if sort not in SORTS:
            raise exceptions.ValidationError({"sort": [_("Unknown sort order.")]})
        return posts.order_by(*SORTS[sort])

    @extend_schema(
        summary="Write a post, as the signed-in member",
        request=NewPostSerializer,
        responses={201: CreatedPostSerializer},
    )
    def create(self, request):
        data = NewPostSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        board = plain_boards().filter(pk=values["board"]).first()
        if board is None:
            raise exceptions.NotFound(_("No such community board."))
        refuse_participation(
            posting_denied(board, request.user, values["kind"], request=request)
        )
        check_write_rate(
            request,
            "post",
            app_settings.RATE_LIMITS,
            _("You are posting too fast. Wait a while, then try again."),
        )
        form = PostForm(
            {
                "kind": values["kind"],
                "title": values["title"],
                "body": values.get("body", ""),
                "tags": ", ".join(values.get("tags", [])),
                "product": values.get("product") or "",
                "rating": values.get("rating") or "",
            },
            board=board,
        )
        if not form.is_valid():
            raise exceptions.ValidationError(
                {key: [str(e) for e in errors] for key, errors in form.errors.items()}
            )
        try:
            post = save_post(
                form.save(commit=False),
                user=request.user,
                board=board,
                tags=form.cleaned_data["tags"],
                new_images=[],
                submit=not values["draft"],
            )
        except (ValidationError, ValueError):
            raise exceptions.ValidationError(
                _("Your post could not be saved. Please try again.")
            ) from None
        if post.state == Post.State.PUBLISHED:
            message = _("Your post is published.")
        elif post.state == Post.State.PENDING:
            message = _("Thank you! A moderator will look at your post soon.")
        else:
            message = _("Your draft is saved. Only you can see it.")
        post = self.get_queryset().get(pk=post.pk)
        return Response(
            {
                "post": PostSerializer(post, context={"request": request}).data,
                "message": str(message),
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Like (POST) or unlike (DELETE)", request=None, responses=LikeSerializer
    )
    @action(detail=True, methods=["post", "delete"])
    def like(self, request, pk=None):
        post = self.get_object()
        if not post.is_published:
            raise exceptions.NotFound(_("This post is not published."))
        user = request.user
        refuse_participation(posting_denied(post.board, user, request=request))
        if post.author_id == user.pk:
            raise exceptions.PermissionDenied(_("You cannot like your own post."))
        return set_like(
            request,
            post,
            "post_reaction",
            app_settings.RATE_LIMITS,
            PostReaction.objects.filter(post=post),
            toggle_like,
        )


def register(router):
    router.register("boards", BoardViewSet, basename="board")
    router.register("posts", PostViewSet, basename="post")
