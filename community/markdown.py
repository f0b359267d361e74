"""The small Markdown subset visitors may write, rendered to safe HTML.

markdown-it-py parses with only these rules on: emphasis (``*em*``,
``**strong**``), links (``[text](https://…)`` and ``<https://…>``), lists,
block quotes, inline code and code blocks, line breaks. Raw HTML, images,
headings and tables stay off, so they come out as text. nh3 then cleans the
result against an allowlist whatever the parser produced, and gives every
link ``rel="nofollow ugc noopener"``.
"""

import re
from html import unescape

import nh3
from django.utils.html import strip_tags
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

_LINK_PATTERN = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def _parser():
    parser = MarkdownIt("zero", {"html": False, "breaks": True, "linkify": False})
    parser.enable(
        [
            "emphasis",
            "link",
            "autolink",
            "list",
            "blockquote",
            "backticks",
            "code",
            "fence",
            "newline",
            "escape",
        ]
    )
    return parser


_PARSER = _parser()


def render_markdown(text):
    """HTML for a visitor's Markdown, safe to output as is."""
    html = _PARSER.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
    ).strip()


def html_to_text(html):
    """Rendered HTML (``render_markdown``'s) as one line of plain text: tags
    dropped, entities decoded, whitespace runs made single spaces."""
    return " ".join(unescape(strip_tags(html or "")).split())


def markdown_to_text(text):
    """A visitor's Markdown as the plain text a reader sees, for places that
    show no formatting: cards, excerpts, feeds, meta descriptions and link
    previews. ``**Longjing**`` becomes ``Longjing``, a link keeps its words,
    paragraphs and line breaks become spaces."""
    return html_to_text(_PARSER.render(text or ""))


def count_links(text):
    """How many web addresses a comment contains (in links or as bare text)."""
    return len(_LINK_PATTERN.findall(text or ""))
