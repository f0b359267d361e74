"""Plain text from a page's fields: the first paragraph of plain text, rich
text or a StreamField, and a page's description, the one chain behind its meta
description and its link previews (og:description, twitter:description)."""

import html
import re

from wagtail.blocks import StreamValue, TextBlock
from wagtail.rich_text import RichText

#: The fields a page's description falls back to after its search description
#: and its `share_description_fallbacks`: the first paragraph of its body.
BODY_FIELDS = ("intro", "body")

_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)
# Tags that end a line of text (a space stands for them); others just go.
_BREAK = re.compile(
    r"<(?:br|hr)\b[^>]*>|</(?:p|div|li|h[1-6]|blockquote|tr|td|th)\s*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")


def plain_text(markup):
    """Text without tags or character references, whitespace collapsed."""
    text = _TAG.sub("", _BREAK.sub(" ", markup))
    return " ".join(html.unescape(text).split())


def first_paragraph(value):
    """The first paragraph of a field's value as plain text: of HTML (a
    RichTextField or RichText), the first `<p>` with text; of plain text, up
    to the first blank line; of a StreamField, the first rich-text or
    multi-line text block's."""
    if not value:
        return ""
    if isinstance(value, StreamValue):
        for block in value:
            if isinstance(block.value, RichText) or isinstance(block.block, TextBlock):
                text = first_paragraph(block.value)
                if text:
                    return text
        return ""
    markup = str(value)
    if isinstance(value, RichText) or _TAG.search(markup):
        for match in _PARAGRAPH.finditer(markup):
            text = plain_text(match.group(1))
            if text:
                return text
        return plain_text(markup)
    for paragraph in re.split(r"\n\s*\n", markup):
        text = " ".join(paragraph.split())
        if text:
            return text
    return ""


def description_fields(page):
    """The fields a page is described by, in order: `meta_description_fields`
    where the page type sets it, else its search description, the fields of
    its `share_description_fallbacks`, then `intro` and `body`."""
    return tuple(
        dict.fromkeys(
            getattr(page, "meta_description_fields", None)
            or (
                "search_description",
                *getattr(page, "share_description_fallbacks", ()),
                *BODY_FIELDS,
            )
        )
    )


def page_description(page):
    """The first paragraph, as plain text, of the first of the page's
    `description_fields` with text; "" when none has any."""
    for name in description_fields(page):
        text = first_paragraph(getattr(page, name, ""))
        if text:
            return text
    return ""
