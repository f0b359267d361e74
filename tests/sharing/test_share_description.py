"""A page's link preview summary (og:description, twitter:description) falls
back along the same chain as its meta description: the share summary, the
search description, the fields of `share_description_fallbacks`, then the first
paragraph of the body, always as plain text."""

import itertools

import pytest
from django.test import RequestFactory
from wagtail.rich_text import RichText

from sharing import meta
from sharing.models import SHARE_DESCRIPTION_LENGTH
from tests.sharing.conftest import HOST
from tests.testapp.models import NotePage

_slugs = itertools.count()

BODY = [
    ("heading", "Picking season"),
    ("paragraph", RichText("<p></p><p>Picked <b>before</b> Qingming &amp; rain.</p>")),
    ("paragraph", RichText("<p>The second paragraph.</p>")),
]


@pytest.fixture
def note_factory(share_site):
    def create(**fields):
        fields.setdefault("title", "Longjing notes")
        fields.setdefault("slug", f"note-{next(_slugs)}")
        page = share_site.root_page.add_child(instance=NotePage(**fields))
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return create


def previews(page):
    """The og:, twitter: and meta descriptions the page's head shows."""
    html = page.serve(RequestFactory().get(page.url, HTTP_HOST=HOST)).render()
    text = html.content.decode()
    found = {}
    for key in ('property="og:description"', 'name="twitter:description"'):
        start = text.find(f'<meta {key} content="')
        if start >= 0:
            start += len(f'<meta {key} content="')
            found[key.split('"')[1]] = text[start : text.index('"', start)]
    return found


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"share_description": "Shared.", "search_description": "Searched."},
            "Shared.",
        ),
        ({"search_description": "Searched.", "summary": "<p>Sum.</p>"}, "Searched."),
        ({"summary": "<p>The <i>summary</i>.</p><p>More.</p>"}, "The summary."),
        ({}, "Picked before Qingming & rain."),
    ],
)
def test_the_summary_falls_back_along_the_chain(note_factory, fields, expected):
    page = note_factory(body=BODY, **fields)
    assert page.get_share_description() == expected
    assert meta.share_meta(None, page)["description"] == expected


def test_og_and_twitter_descriptions_are_the_body_s_first_paragraph(
    note_factory,
):
    page = note_factory(body=BODY)
    assert previews(page) == {
        "og:description": "Picked before Qingming &amp; rain.",
        "twitter:description": "Picked before Qingming &amp; rain.",
    }
    # The meta description reads the same chain (shorter when it is long).
    assert meta.description(page) == "Picked before Qingming & rain."


def test_a_long_first_paragraph_is_shortened(note_factory):
    long = "龙井 " * 400
    page = note_factory(body=[("paragraph", RichText(f"<p>{long}</p>"))])
    text = page.get_share_description()
    assert len(text) == SHARE_DESCRIPTION_LENGTH
    assert text.startswith("龙井 龙井") and text.endswith("…")


def test_no_description_without_text(note_factory):
    page = note_factory(body=[("heading", "Only a heading")])
    assert page.get_share_description() == ""
    assert previews(page) == {}


def test_the_demo_style_fallback_fields_are_read_as_plain_text(page_factory):
    # tests.testapp's SharedPage falls back to its plain-text intro: the first
    # paragraph only, not the whole field.
    page = page_factory(intro="First line\nstill first.\n\nSecond paragraph.")
    assert page.get_share_description() == "First line still first."
