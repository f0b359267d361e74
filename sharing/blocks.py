"""StreamField blocks: thin adapters over the template tags' functions."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks

from .registry import share_choices


class PlatformChoiceBlock(blocks.ChoiceBlock):
    """A share platform; choices come from the registry when the form is built,
    so adding a platform never needs a migration."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", share_choices)
        kwargs.setdefault("label", _("Platform"))
        super().__init__(**kwargs)

    def deconstruct(self):
        # Leave the callable out of migrations: the class supplies it.
        path = "sharing.blocks.PlatformChoiceBlock"
        kwargs = {k: v for k, v in self._constructor_kwargs.items() if k != "choices"}
        return path, (), kwargs

    class Meta:
        icon = "link"


class ShareButtonsBlock(blocks.StructBlock):
    """The share buttons of the page the block is on."""

    heading = blocks.CharBlock(
        required=False, max_length=80, label=_("Heading"), default=""
    )

    class Meta:
        icon = "link"
        label = _("Share buttons")
        template = "sharing/blocks/share_buttons_block.html"


class FollowUsBlock(blocks.StructBlock):
    """The company's own-media accounts chosen for follow blocks."""

    heading = blocks.CharBlock(
        required=False, max_length=80, label=_("Heading"), default=""
    )
    text = blocks.TextBlock(required=False, label=pgettext_lazy("block field", "Text"))

    class Meta:
        icon = "group"
        label = _("Follow us")
        template = "sharing/blocks/follow_us_block.html"
