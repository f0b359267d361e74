from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from community.posts.blocks import PopularPostsBlock
from sharing.blocks import FollowUsBlock, ShareButtonsBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "H2"), ("h3", "H3")], default="h2", label=_("Level")
    )

    class Meta:
        icon = "title"
        template = "website/blocks/heading_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, label=_("Caption"), max_length=250)

    class Meta:
        icon = "image"
        template = "website/blocks/captioned_image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        template = "website/blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(required=False, label=pgettext_lazy("block field", "Text"))
    page = blocks.PageChooserBlock(label=_("Link to"))
    button_text = blocks.CharBlock(label=_("Button text"), max_length=40)

    class Meta:
        icon = "link"
        template = "website/blocks/call_to_action_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3", "blockquote"],
        label=_("Paragraph"),
        template="website/blocks/paragraph_block.html",
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    share_buttons = ShareButtonsBlock()
    popular_posts = PopularPostsBlock()
    follow_us = FollowUsBlock()
