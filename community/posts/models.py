"""Community boards and the posts members write on them.

A board (`CommunityBoardPage`) is a Wagtail page editors place in the tree and
configure (intro, rules, allowed kinds, moderation, who may post, closing
date). Posts are plain models routed under their board by `RoutablePageMixin`
(`<board>/<pk>/`), so the page tree and its revisions stay editors' territory.
The routes' views live in `community.posts.views`; the logic in
`community.posts.services`.
"""

import math
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from community.adapter import get_adapter
from community.cjk import cjk_index_terms
from community.comments.models import Comment, CommentFlagReport, CommentsMixin
from community.markdown import html_to_text, markdown_to_text, render_markdown


def post_image_path(instance, filename):
    # Random names: never overwritten in place, and they reveal nothing.
    return f"community/posts/{uuid.uuid4().hex}-{filename}"


class PostKind(models.TextChoices):
    STORY = "story", _("Story")
    PHOTO = "photo", _("Photos")
    REVIEW = "review", pgettext_lazy("post kind", "Review")
    QUESTION = "question", _("Question")


class CommunityBoardPage(RoutablePageMixin, Page):
    """A board where members post stories, photos, reviews or questions."""

    class Moderation(models.TextChoices):
        POST = "post", _("Publish at once, moderate afterwards")
        PRE = "pre", _("Hold every post for a moderator first")

    class Posters(models.TextChoices):
        MEMBERS = "members", _("Every signed-in member")
        VERIFIED = "verified", _("Members with a confirmed e-mail address")

    intro = RichTextField(
        pgettext_lazy("board", "introduction"),
        blank=True,
        features=["bold", "italic", "link"],
    )
    rules = RichTextField(
        _("rules"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    allow_stories = models.BooleanField(_("stories"), default=True)
    allow_photos = models.BooleanField(_("photos"), default=True)
    allow_reviews = models.BooleanField(_("reviews"), default=False)
    allow_questions = models.BooleanField(_("questions"), default=False)
    moderation = models.CharField(
        _("moderation"),
        max_length=8,
        choices=Moderation.choices,
        default=Moderation.POST,
    )
    who_may_post = models.CharField(
        _("who may post"),
        max_length=10,
        choices=Posters.choices,
        default=Posters.VERIFIED,
    )
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("After this moment nobody can post here (posts stay visible)."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("rules"),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("allow_stories"),
                        FieldPanel("allow_photos"),
                        FieldPanel("allow_reviews"),
                        FieldPanel("allow_questions"),
                    ],
                    heading=_("Allowed kinds of posts"),
                ),
                FieldPanel("moderation"),
                FieldPanel("who_may_post"),
                FieldPanel("closes_at"),
            ],
            heading=_("Posting"),
        )
    ]
    subpage_types = []
    template = "community_posts/community_board_page.html"
    #: Listed among the community's boards (`site_boards`). A page type built
    #: on a board that its own app lists elsewhere (a campaign) sets False.
    listed_with_boards = True

    class Meta:
        verbose_name = _("community board")
        verbose_name_plural = _("community boards")

    KIND_FIELDS = {
        PostKind.STORY: "allow_stories",
        PostKind.PHOTO: "allow_photos",
        PostKind.REVIEW: "allow_reviews",
        PostKind.QUESTION: "allow_questions",
    }

    def allowed_kinds(self):
        """[(value, label)] of the kinds of posts this board takes."""
        return [
            (kind.value, kind.label)
            for kind, field in self.KIND_FIELDS.items()
            if getattr(self, field)
        ]

    @property
    def is_closed(self):
        return self.closes_at is not None and self.closes_at <= timezone.now()

    def intro_text(self):
        """The introduction as plain text (board lists, link previews)."""
        return get_text_for_indexing(self.intro or "")

    @property
    def premoderated(self):
        return self.moderation == self.Moderation.PRE

    def post_url(self, post, action=None, request=None):
        # The board's own URL is worked out once per instance (lists show
        # many posts of one board).
        if getattr(self, "_board_url", None) is None:
            self._board_url = self.get_url(request)
        return self._board_url + self.reverse_subpage(
            f"post_{action}" if action else "post", args=[post.pk]
        )

    # Routes: thin wrappers over the views of `views_module`.

    #: Where the routes' views live. They are looked up by name when a
    #: request comes (one import_string per route, from sys.modules after the
    #: first) because importing them here would be a cycle: the views import
    #: the forms and services, which import this module. A project may route a
    #: subclass to views of its own, as django-oscar's class loader allows.
    views_module = "community.posts.views"

    def route_view(self, name):
        return import_string(f"{self.views_module}.{name}")

    @path("")
    def index_route(self, request):
        return self.route_view("board_index")(request, self)

    @path("new/", name="post_new")
    def new_route(self, request):
        return self.route_view("post_create")(request, self)

    @path("<int:pk>/", name="post")
    def detail_route(self, request, pk):
        return self.route_view("post_detail")(request, self, pk)

    @path("<int:pk>/edit/", name="post_edit")
    def edit_route(self, request, pk):
        return self.route_view("post_edit")(request, self, pk)

    @path("<int:pk>/delete/", name="post_delete")
    def delete_route(self, request, pk):
        return self.route_view("post_delete")(request, self, pk)

    @path("<int:pk>/like/", name="post_like")
    def like_route(self, request, pk):
        return self.route_view("post_like")(request, self, pk)

    @path("<int:pk>/report/", name="post_report")
    def report_route(self, request, pk):
        return self.route_view("post_report")(request, self, pk)

    @path("<int:pk>/answer/", name="post_answer")
    def answer_route(self, request, pk):
        return self.route_view("post_answer")(request, self, pk)

    @path("feed/", name="feed")
    def feed_route(self, request):
        return self.route_view("board_feed")(request, self)


class PostTag(TaggedItemBase):
    content_object = models.ForeignKey(
        "community_posts.Post", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("post tag")
        verbose_name_plural = _("post tags")


class PostQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def published(self):
        """What visitors see: published posts whose pictures are ready."""
        return self.filter(state=Post.State.PUBLISHED, processing_pictures=False)

    def live(self):
        """What may be commented on and shared: published posts on live
        boards (comments' and sharing's resolvers call this)."""
        return self.published().filter(board__live=True)

    def visible_to(self, user):
        """Published posts, plus the viewer's own in any state; editors who
        moderate posts see everything."""
        if user is not None and user.is_authenticated:
            if user.has_perm("community_posts.change_post"):
                return self
            return self.filter(
                models.Q(state=Post.State.PUBLISHED) | models.Q(author=user)
            )
        return self.published()

    def needs_review(self):
        """The moderation queue: held posts and published posts with open
        reports."""
        return self.filter(
            models.Q(state=Post.State.PENDING)
            | models.Q(state=Post.State.PUBLISHED, report_count__gt=0)
        )


class Post(CommentsMixin, index.Indexed, models.Model):
    Kind = PostKind

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Awaiting moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        REMOVED = "removed", _("Removed")

    board = models.ForeignKey(
        CommunityBoardPage,
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("board"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_posts",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PostKind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("text (HTML)"), blank=True, editable=False)
    tags = TaggableManager(
        verbose_name=_("tags"),
        through=PostTag,
        blank=True,
        help_text=_("Comma-separated, e.g. green tea, tea ceremony"),
    )
    product = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    accepted_answer = models.ForeignKey(
        Comment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted answer"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)
    hold_reasons = models.CharField(
        _("why it was held"), max_length=255, blank=True, editable=False
    )
    processing_pictures = models.BooleanField(
        _("processing pictures"),
        default=False,
        editable=False,
        help_text=_(
            "New pictures are being prepared in the background; only the author "
            "and moderators see the post until they are ready."
        ),
    )
    dropped_pictures = models.CharField(
        _("pictures left out"),
        max_length=500,
        blank=True,
        editable=False,
        help_text=_("Names of uploaded pictures that could not be used."),
    )
    language = models.CharField(_("language"), max_length=12, blank=True)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = PostQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("body"),
        index.SearchField("cjk_search_text"),
        index.FilterField("state"),
        index.FilterField("language"),
        index.FilterField("processing_pictures"),
    ]

    panels = [FieldPanel("title"), FieldPanel("body"), FieldPanel("tags")]

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        # Each sort's index covers its whole ORDER BY (ties broken by date,
        # then id), so the database reads one page of posts in index order
        # and stops; with a partial index SQLite may sort every post instead.
        indexes = [
            models.Index(
                fields=["board", "state", "-published_at", "-id"],
                name="post_board_latest",
            ),
            models.Index(
                fields=["board", "state", "-like_count", "-published_at", "-id"],
                name="post_board_liked",
            ),
            models.Index(
                fields=["board", "state", "-comment_count", "-published_at", "-id"],
                name="post_board_discussed",
            ),
            models.Index(fields=["state", "-published_at", "-id"], name="post_feed"),
            models.Index(
                fields=["state", "-like_count", "-published_at", "-id"],
                name="post_feed_liked",
            ),
            models.Index(
                fields=["state", "-comment_count", "-published_at", "-id"],
                name="post_feed_discussed",
            ),
            models.Index(fields=["product", "kind", "state"], name="post_product"),
            models.Index(fields=["author", "state"], name="post_author"),
            # The moderation queue (needs_review): both sides of its OR.
            models.Index(fields=["state", "report_count"], name="post_review"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        if self.state == self.State.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.get_url()

    def get_url(self, request=None):
        return self.board.post_url(self, request=request)

    def cjk_search_text(self):
        return cjk_index_terms(f"{self.title} {self.body}")

    def body_text(self):
        """The body as plain text, without Markdown: what cards, excerpts,
        feeds, meta descriptions and link previews show."""
        if self.body_html:
            return html_to_text(self.body_html)
        return markdown_to_text(self.body)

    def get_site(self):
        """The Wagtail Site of the post's board (links in e-mails start with
        its root URL)."""
        return self.board.get_site()

    def get_full_url(self, request=None):
        board_url = self.board.get_full_url(request)
        if not board_url:
            return None
        return board_url + self.board.reverse_subpage("post", args=[self.pk])

    def get_sitemap_urls(self, request=None):
        """The post's entry in a sitemap, as Wagtail pages give theirs
        (`community.posts.sitemaps.PostSitemap` lists them)."""
        url = self.get_full_url(request)
        return [{"location": url, "lastmod": self.updated_at}] if url else []

    @property
    def locale(self):
        return self.board.locale

    @property
    def is_published(self):
        """Published and shown to visitors (its pictures are ready)."""
        return self.state == self.State.PUBLISHED and not self.processing_pictures

    def dropped_picture_names(self):
        return [name for name in self.dropped_pictures.split("\n") if name]

    def author_name(self):
        if self.author_id is None:
            return _("Deleted member")
        return get_adapter().author_name(self.author)

    def first_image(self):
        images = list(self.images.all())
        return images[0] if images else None


def fitted_size(width, height, longest):
    """(width, height) scaled down to fit `longest`, rounded the way Pillow's
    `Image.thumbnail()` rounds them (never enlarged)."""
    if max(width, height) <= longest or not width or not height:
        return width, height
    aspect = width / height

    def closest(number, key):
        return max(min(math.floor(number), math.ceil(number), key=key), 1)

    if aspect <= 1:
        return closest(
            longest * aspect, key=lambda n: abs(aspect - n / longest)
        ), longest
    return longest, closest(
        longest / aspect, key=lambda n: 0 if n == 0 else abs(aspect - longest / n)
    )


def post_upload_path(instance, filename):
    # The member's file name is kept for messages, but not as the type: an
    # upload waiting for its renditions sits in the media folder, and a name
    # ending in .html or .svg would be served as a page to run.
    return f"community/uploads/{uuid.uuid4().hex}-{filename}{UPLOAD_SUFFIX}"


#: Ends every kept upload's name: a type no server or browser runs.
UPLOAD_SUFFIX = ".upload"


class ReadyImageManager(models.Manager):
    """Pictures whose renditions are made (`post.images`, lists, feeds);
    `PostImage.all_objects` also has those still being processed."""

    def get_queryset(self):
        return super().get_queryset().exclude(image="")


class PostImage(models.Model):
    """One picture of a post, stored as renditions without metadata: `image`
    (WebP, at most 1600 px: the full view), `thumbnail` (a 480 px WebP
    square: lists) and, next to them under derived names (`RENDITIONS`), an
    800 px WebP for the post's page, JPEG fallbacks of it and of the
    thumbnail for browsers without WebP, and a 1200 × 630 JPEG for link
    previews (`og:image`). Until a background task makes them, the upload is
    kept as it came in `upload` and the renditions are blank."""

    DETAIL_SIDE = 1600
    MEDIUM_SIDE = 800
    THUMBNAIL_SIDE = 480
    SHARE_SIZE = (1200, 630)

    #: Renditions stored beside a field's file: key -> (field, suffix that
    #: replaces the file's extension).
    RENDITIONS = {
        "medium": ("image", ".800.webp"),
        "medium_jpeg": ("image", ".800.jpg"),
        "share": ("image", ".og.jpg"),
        "thumbnail_jpeg": ("thumbnail", ".jpg"),
    }

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("picture"), upload_to=post_image_path, blank=True)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=post_image_path, blank=True)
    upload = models.FileField(
        _("upload being processed"),
        upload_to=post_upload_path,
        blank=True,
        editable=False,
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(
        _("description of the picture"), max_length=200, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    all_objects = models.Manager()
    objects = ReadyImageManager()

    class Meta:
        verbose_name = _("post picture")
        verbose_name_plural = _("post pictures")
        ordering = ["sort_order", "pk"]
        base_manager_name = "all_objects"
        default_manager_name = "objects"

    def __str__(self):
        return self.alt_text or self.image.name or self.upload.name

    def file_names(self):
        names = [f.name for f in (self.image, self.thumbnail, self.upload) if f]
        return names + [
            name for name in map(self.rendition_name, self.RENDITIONS) if name
        ]

    # Renditions

    def rendition_name(self, key):
        """The stored name of rendition `key` (see RENDITIONS), or ""."""
        field, suffix = self.RENDITIONS[key]
        name = getattr(self, field).name
        return name.rsplit(".", 1)[0] + suffix if name else ""

    def rendition_url(self, key):
        name = self.rendition_name(key)
        return self.image.storage.url(name) if name else ""

    def medium_url(self):
        return self.rendition_url("medium")

    def medium_jpeg_url(self):
        return self.rendition_url("medium_jpeg")

    def thumbnail_jpeg_url(self):
        return self.rendition_url("thumbnail_jpeg")

    def share_url(self):
        return self.rendition_url("share")

    def medium_size(self):
        """(width, height) of the 800 px rendition."""
        return fitted_size(self.width, self.height, self.MEDIUM_SIDE)

    def medium_width(self):
        return self.medium_size()[0]

    def medium_height(self):
        return self.medium_size()[1]

    def share_size(self):
        """(width, height) of the link-preview rendition: 1200 × 630, or
        smaller in the same proportions when the picture is smaller (never
        enlarged)."""
        width, height = self.SHARE_SIZE
        ratio = width / height
        width = max(1, min(width, self.width, round(self.height * ratio)))
        return width, max(1, round(width / ratio))

    def webp_srcset(self):
        """The post page's `srcset`: the 800 px and the full rendition (one
        entry when they are the same size)."""
        medium = self.medium_width()
        entries = [f"{self.medium_url()} {medium}w"]
        if self.width > medium:
            entries.append(f"{self.image.url} {self.width}w")
        return ", ".join(entries)

    def upload_display_name(self):
        """The name the member gave the uploaded file."""
        name = self.upload.name.rsplit("/", 1)[-1].partition("-")[2]
        return name.removesuffix(UPLOAD_SUFFIX)[:60]


class PostReaction(models.Model):
    """A member's like of a post: at most one per member and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="post_reactions",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("post like")
        verbose_name_plural = _("post likes")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"], name="community_one_post_like_per_member"
            )
        ]

    def __str__(self):
        return f"{self.user} ♥ {self.post_id}"


class PostReport(models.Model):
    """A visitor's report of a post for moderation, with a reason."""

    Reason = CommentFlagReport.Reason

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="post_reports",
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=CommentFlagReport.Reason.choices
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("post report")
        verbose_name_plural = _("post reports")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"], name="community_one_report_per_member"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.user})"
