"""A page model of the tests' own for the reusable apps."""

from django.conf import settings
from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from community.comments.models import CommentsMixin
from sharing.blocks import FollowUsBlock, ShareButtonsBlock
from sharing.models import ShareablePageMixin


class SharedPage(ShareablePageMixin, Page):
    intro = models.TextField(blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(
        [("share_buttons", ShareButtonsBlock()), ("follow_us", FollowUsBlock())],
        blank=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    promote_panels = Page.promote_panels + ShareablePageMixin.sharing_panels
    share_description_fallbacks = ("search_description", "intro")

    def get_template(self, request, *args, **kwargs):
        # ?bare: the same page without the sharing tags, to measure their cost.
        if request.GET.get("bare"):
            return "testapp/bare_page.html"
        return "testapp/shared_page.html"


class NotePage(ShareablePageMixin, Page):
    """A page whose link preview falls back to its own summary field, then to
    the first paragraph of its StreamField body."""

    summary = RichTextField(blank=True)
    body = StreamField(
        [("heading", blocks.CharBlock()), ("paragraph", blocks.RichTextBlock())],
        blank=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    share_description_fallbacks = ("search_description", "summary")
    template = "testapp/shared_page.html"


class CommentablePage(CommentsMixin, ShareablePageMixin, Page):
    """A page visitors comment on (and share): the reusable apps' tests use it
    instead of the demo site's articles."""

    intro = models.TextField(blank=True)

    # The mixins add their own panels (sharing's to the promote tab, comments'
    # to the settings tab): nothing to add here.
    content_panels = Page.content_panels + [FieldPanel("intro")]
    template = "testapp/commentable_page.html"


class TeaProduct(CommentsMixin, Page):
    """A product that community reviews and questions may be about
    (COMMUNITY_POSTS_PRODUCT_MODELS in the tests' settings)."""

    template = "testapp/tea_product.html"


class Testimonial(models.Model):
    """A third kind of visitor content, moderated through
    `community.moderation.register()` with the toolkit's defaults."""

    class State(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Pending"
        REMOVED = "removed", "Removed"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL
    )
    text = models.TextField()
    state = models.CharField(max_length=12, choices=State.choices, default="pending")

    def __str__(self):
        return self.text[:40]
