"""A page model of the tests' own for the reusable apps."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

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
