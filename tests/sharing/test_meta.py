"""What a page's head tells search engines: hreflang alternates (a page's
translations, an object's own list, a view's path in every language) and a
plain-text meta description."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.models import Locale
from wagtail.rich_text import RichText

from sharing import meta
from sharing.shareables import Shareable
from tests.sharing.conftest import HOST


def render(source, **context):
    request = RequestFactory().get("/en/", HTTP_HOST=HOST)
    template = Template("{% load sharing_tags %}" + source)
    return template.render(Context({"request": request, **context}))


@pytest.fixture
def chinese(db):
    return Locale.objects.get_or_create(language_code="zh-hans")[0]


@pytest.fixture
def translated_page(shared_page, chinese):
    """The shared page and its published Chinese translation."""
    translation = shared_page.copy_for_translation(chinese, copy_parents=True)
    translation.save_revision().publish()
    # Its parents were copied as aliases of the English ones: live already.
    assert all(parent.live for parent in translation.get_ancestors())
    translation.refresh_from_db()
    return shared_page, translation


def test_hreflang_is_bcp_47():
    assert meta.hreflang("zh-hans") == "zh-Hans"
    assert meta.hreflang("en-us") == "en-US"
    assert meta.hreflang("en") == "en"


def test_x_default_is_the_default_language_else_the_first():
    pairs = [("zh-hans", "https://t.example/zh/"), ("en", "https://t.example/en/")]
    assert meta.with_x_default(pairs) == [
        {"lang_code": "en", "location": "https://t.example/en/"},
        {"lang_code": "zh-Hans", "location": "https://t.example/zh/"},
        {"lang_code": "x-default", "location": "https://t.example/en/"},
    ]
    only_chinese = meta.with_x_default(pairs[:1])
    assert only_chinese[-1] == {
        "lang_code": "x-default",
        "location": "https://t.example/zh/",
    }
    assert meta.with_x_default([]) == []


def test_a_page_lists_its_translations(translated_page):
    english, chinese = translated_page
    html = render("{% alternate_links page %}", page=english)
    en_url = f"http://{HOST}/en/{english.slug}/"
    zh_url = f"http://{HOST}/zh-hans/{chinese.slug}/"
    assert html.split("\n")[:3] == [
        f'<link rel="alternate" hreflang="en" href="{en_url}">',
        f'<link rel="alternate" hreflang="zh-Hans" href="{zh_url}">',
        f'<link rel="alternate" hreflang="x-default" href="{en_url}">',
    ]
    # The same list from the translation's side.
    assert meta.alternates(None, chinese) == meta.alternates(None, english)


def test_drafts_and_unpublished_translations_are_left_out(translated_page):
    english, chinese = translated_page
    chinese.unpublish()
    assert [a["lang_code"] for a in meta.alternates(None, english)] == [
        "en",
        "x-default",
    ]
    # An unpublished page has no alternates at all.
    assert meta.alternates(None, chinese) == []


def test_an_object_gives_its_own_alternates():
    class Post(Shareable):
        def get_alternate_urls(self, request=None):
            return [("zh-hans", "https://t.example/zh-hans/board/7/")]

    assert render("{% alternate_links obj %}", obj=Post()).split("\n")[:2] == [
        '<link rel="alternate" hreflang="zh-Hans" '
        'href="https://t.example/zh-hans/board/7/">',
        '<link rel="alternate" hreflang="x-default" '
        'href="https://t.example/zh-hans/board/7/">',
    ]


def test_a_view_under_i18n_patterns_is_listed_in_every_language(share_site):
    request = RequestFactory().get("/en/search/?q=tea", HTTP_HOST=HOST)
    assert meta.alternates(request) == [
        {"lang_code": "en", "location": f"http://{HOST}/en/search/"},
        {"lang_code": "zh-Hans", "location": f"http://{HOST}/zh-hans/search/"},
        {"lang_code": "x-default", "location": f"http://{HOST}/en/search/"},
    ]
    # Paths without a language prefix have no alternates.
    request = RequestFactory().get("/accounts/login/", HTTP_HOST=HOST)
    assert meta.alternates(request) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        (
            "One line.\nStill the first.\n\nSecond paragraph.",
            "One line. Still the first.",
        ),
        (
            "<h2>Title</h2><p></p><p>First <b>bold</b> &amp; <a href='/'>linked</a>."
            "</p><p>Second.</p>",
            "First bold & linked.",
        ),
        (RichText("<p>Rich &lt;text&gt;</p><p>More</p>"), "Rich <text>"),
        ("<ul><li>One</li><li>Two</li></ul>", "One Two"),
    ],
)
def test_first_paragraph(value, expected):
    assert meta.first_paragraph(value) == expected


def test_first_paragraph_of_a_stream_is_its_first_rich_text():
    block = blocks.StreamBlock(
        [("heading", blocks.CharBlock()), ("paragraph", blocks.RichTextBlock())]
    )
    stream = StreamValue(
        block,
        [("heading", "A heading"), ("paragraph", RichText("<p>The text.</p>"))],
    )
    assert meta.first_paragraph(stream) == "The text."


def test_meta_description_prefers_the_search_description(page_factory):
    page = page_factory(search_description="Searched.", intro="Intro.")
    assert render("{% meta_description page %}", page=page) == (
        '<meta name="description" content="Searched.">'
    )


def test_meta_description_falls_back_to_the_first_paragraph(page_factory):
    long_intro = "Tea " * 60 + "\n\nSecond paragraph."
    page = page_factory(intro=long_intro)
    text = meta.description(page)
    assert len(text) == meta.DESCRIPTION_LENGTH
    assert text.startswith("Tea Tea") and text.endswith("…")
    assert "Second" not in text
    html = render("{% meta_description page %}", page=page_factory(intro='"Q" & <3'))
    assert html == '<meta name="description" content="&quot;Q&quot; &amp; &lt;3">'


def test_no_meta_description_without_text(page_factory):
    assert render("{% meta_description page %}", page=page_factory()) == ""


def test_itemprop_tags_are_off_unless_the_project_turns_them_on(shared_page, settings):
    del settings.SHARING_ITEMPROP_META  # the demo's settings turn them on
    assert "itemprop" not in render("{% share_meta page %}", page=shared_page)
    settings.SHARING_ITEMPROP_META = True
    assert '<meta itemprop="name" content="Spring tea">' in render(
        "{% share_meta page %}", page=shared_page
    )
