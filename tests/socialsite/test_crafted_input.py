"""Crafted query strings and paths never give a server error (issue 20, items
2, 3 and 6): search text is plain words on every backend, NUL bytes are a bad
request, member keys parse strictly, the 404 page's language switcher stays on
the site, and the contact form is rate-limited. Ends with a property-based fuzz
of the demo's public GET parameters."""

from urllib.parse import quote, urlsplit

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wagtail.contrib.forms.models import FormSubmission

from community import cjk
from community.posts.models import CommunityBoardPage
from socialsite.website.models import (
    ArticlePage,
    ContactPage,
    NewsIndexPage,
    ProductIndexPage,
)

# Visitor text that is query syntax somewhere: FTS5 (quotes, OR, NEAR, *,
# column filters, ^), PostgreSQL's tsquery (&, |, !, :*), SQL and templates.
SEARCH_SYNTAX = [
    '"><script>alert(1)</script>',
    "javascript:alert(1)",
    "tea OR coffee",
    "NEAR(",
    "NEAR(tea coffee, 2)",
    "*",
    '"tea',
    'tea"',
    "'tea",
    "title:tea",
    "^tea",
    "tea AND NOT",
    "- tea",
    "tea & | ! :*",
    "'; DROP TABLE wagtailcore_page; --",
    "{{ 7*7 }}{% debug %}",
    "\\",
    "%",
    "()",
    "<img src=x onerror=alert(1)>",
]


def _urls():
    board = CommunityBoardPage.objects.live().filter(locale__language_code="en")
    return {
        "search": "/en/search/",
        "news": NewsIndexPage.objects.get(locale__language_code="en").url,
        "products": ProductIndexPage.objects.get(locale__language_code="en").url,
        "feed": "/en/community/posts/",
        "board": board.order_by("path").first().url,
        "article": ArticlePage.objects.live()
        .filter(locale__language_code="en")
        .order_by("path")
        .first()
        .url,
    }


# Item 2: search


@pytest.mark.parametrize("query", SEARCH_SYNTAX)
def test_search_syntax_is_plain_words(client, demo_site, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


@pytest.mark.parametrize("query", ['"Longjing', "Longjing*", "(Longjing)", "Longjing:"])
def test_punctuation_around_a_word_still_finds_it(client, demo_site, query):
    html = client.get("/en/search/", {"q": query}).content.decode()
    assert "West Lake Longjing" in html


def test_search_of_300_chinese_characters(client, demo_site):
    response = client.get("/zh-hans/search/", {"q": "龙" * 300})
    assert response.status_code == 200
    response = client.get("/zh-hans/search/", {"q": "西湖龙井绿茶" * 50})
    assert response.status_code == 200


def test_search_terms_are_capped():
    terms = cjk.search_terms("".join(chr(0x4E00 + i) for i in range(300)))
    assert len(terms) == cjk.MAX_TERMS
    terms = cjk.search_terms(" ".join(f"w{i}" for i in range(200)))
    assert terms == [f"w{i}" for i in range(cjk.MAX_TERMS)]
    assert cjk.search_terms("龙" * 300) == ["龙龙"]
    assert cjk.search_terms("a" * 10_000) == ["a" * cjk.MAX_QUERY_LENGTH]


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ('"><script>', ["script"]),
        ("javascript:alert(1)", ["javascript", "alert", "1"]),
        ("a OR b", ["a", "OR", "b"]),
        ("NEAR(", ["NEAR"]),
        ("*", []),
        ('"unbalanced', ["unbalanced"]),
        ("te\x00a", ["te", "a"]),
        ("西湖龙井 tea", ["西湖", "湖龙", "龙井", "tea"]),
    ],
)
def test_search_terms_are_plain_words(text, terms):
    assert cjk.search_terms(text) == terms


@pytest.mark.parametrize("query", ["%00", "tea%00", "%00%00%00"])
def test_nul_in_a_search_is_a_bad_request(client, demo_site, query):
    assert client.get(f"/en/search/?q={query}").status_code == 400


def test_invalid_utf8_in_a_search(client, demo_site):
    response = client.get("/en/search/", QUERY_STRING="q=%FF%FE%C0%AF")
    assert response.status_code == 200


@pytest.mark.parametrize("target", ["news", "feed", "board"])
def test_nul_in_a_tag_is_a_bad_request(client, demo_site, target):
    url = _urls()[target]
    assert client.get(f"{url}?tag=%00").status_code == 400
    assert client.get(f"{url}?tag=tea%00").status_code == 400
    assert client.get(f"{url}?tag=tea").status_code == 200


def test_a_tag_filter_still_filters(client, demo_site):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    article = news.articles().filter(tags__isnull=False).first()
    tag = article.tags.first().name
    html = client.get(news.url, {"tag": tag}).content.decode()
    assert article.title in html
    html = client.get(news.url, {"tag": "no such tag"}).content.decode()
    assert article.title not in html


@pytest.mark.parametrize("page", ["%00", "%C2%B2", "9" * 400, "-1", "1e9", "%FF"])
def test_odd_page_numbers(client, demo_site, page):
    for url in _urls().values():
        assert client.get(f"{url}?page={page}&q=tea").status_code == 200


@pytest.mark.parametrize("value", ["%00", "%C2%B2", "%D9%A1%D9%A2", "9" * 10_000])
def test_odd_comment_parameters(client, demo_site, value):
    url = _urls()["article"]
    for name in ("reply_to", "comments_page", "sort"):
        assert client.get(f"{url}?{name}={value}").status_code == 200


def test_odd_member_keys(client, demo_site):
    for key in ["%00", "%C2%B2", "9" * 40, "x" * 10_000, "%FF%FE"]:
        assert client.get(f"/en/community/members/{key}/").status_code == 404


# Item 3: the 404 page's language switcher

OFF_SITE_PATHS = ["//evil.example/en/", "/\\evil.example/", "///evil.example/"]


def _hrefs(html):
    return [part.split('"', 1)[0] for part in html.split('href="')[1:]]


def _assert_on_site(html):
    """Every link of the page stays on the site (a `next=` parameter may carry
    the path: the login view checks it before redirecting)."""
    for href in _hrefs(html):
        assert not href.startswith(("//", "/\\")), href
        assert "evil.example" not in urlsplit(href.replace("\\", "/")).netloc


@pytest.mark.parametrize("path", OFF_SITE_PATHS)
def test_404_switcher_stays_on_the_site(client, demo_site, path):
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'lang="zh-hans"' in html  # the switcher is there
    _assert_on_site(html)
    assert 'href="/zh-hans/" lang="zh-hans"' in html


def test_404_of_percent_encoded_slashes(client, demo_site):
    response = client.get("/%2F%2Fevil.example/")
    assert response.status_code == 404
    _assert_on_site(response.content.decode())


def test_404_switcher_links_to_the_home_pages(client, demo_site):
    html = client.get("/en/no-such-page/").content.decode()
    assert 'href="/zh-hans/" lang="zh-hans"' in html
    assert "/zh-hans/no-such-page/" not in html


def test_switcher_keeps_a_view_and_its_query(client, demo_site):
    html = client.get("/en/search/", {"q": "tea"}).content.decode()
    assert 'href="/zh-hans/search/?q=tea" lang="zh-hans"' in html


@pytest.mark.parametrize("path", OFF_SITE_PATHS)
def test_switcher_tag_never_links_off_site(demo_site, path):
    """Outside the 404 page too: a path naming another host is never echoed."""
    request = RequestFactory().get("/", PATH_INFO=path)
    html = Template(
        "{% load website_tags %}{% language_links as links %}"
        '{% for link in links %}<a href="{{ link.url }}">{% endfor %}'
    ).render(Context({"request": request}))
    assert len(_hrefs(html)) == 2
    _assert_on_site(html)


# Item 6: the contact form's rate limit


def _contact_data(page):
    names = [field.clean_name for field in page.form_fields.all()]
    return {
        names[0]: "Wang Fang",
        names[1]: "wang@example.com",
        names[2]: page.form_fields.all()[2].choices.splitlines()[1],
        names[3]: "Do you sell 1 kg bags of Longjing?",
        names[4]: "on",
    }


def test_contact_form_default_limit(demo_site):
    client = Client(REMOTE_ADDR="10.20.0.1")
    page = ContactPage.objects.get(locale__language_code="en")
    page.to_address = "staff@example.com"
    page.save(update_fields=["to_address"])
    mail.outbox.clear()
    for _ in range(3):
        assert client.post(page.url, _contact_data(page)).status_code == 200
    response = client.post(page.url, _contact_data(page))
    assert response.status_code == 429
    html = response.content.decode()
    assert "You have sent several messages in a short time" in html
    assert 'value="Wang Fang"' in html  # what the visitor typed is kept
    assert FormSubmission.objects.filter(page=page).count() == 3
    assert len(mail.outbox) == 3


def test_contact_form_limit_setting(demo_site, settings):
    settings.CONTACT_FORM_RATE_LIMITS = {"contact": "1/h/ip"}
    page = ContactPage.objects.get(locale__language_code="zh-hans")
    client = Client(REMOTE_ADDR="10.20.0.2")
    assert client.post(page.url, _contact_data(page)).status_code == 200
    assert client.post(page.url, _contact_data(page)).status_code == 429
    assert FormSubmission.objects.filter(page=page).count() == 1
    # Another visitor is not held back by the first one.
    other = Client(REMOTE_ADDR="10.20.0.3")
    assert other.post(page.url, _contact_data(page)).status_code == 200


def test_invalid_contact_messages_do_not_count(demo_site, settings):
    settings.CONTACT_FORM_RATE_LIMITS = {"contact": "1/h/ip"}
    page = ContactPage.objects.get(locale__language_code="en")
    client = Client(REMOTE_ADDR="10.20.0.4")
    invalid = {**_contact_data(page), page.form_fields.all()[1].clean_name: "x"}
    for _ in range(3):
        assert client.post(page.url, invalid).status_code == 200
    assert client.post(page.url, _contact_data(page)).status_code == 200
    assert FormSubmission.objects.filter(page=page).count() == 1


# Fuzz: every public GET parameter of the demo, hostile values


def _encode(value):
    """A query-string or path value, percent-encoded: text as UTF-8, bytes
    as they are (so invalid UTF-8 such as %FF%FE reaches the server)."""
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote(raw, safe="")


HOSTILE = st.one_of(
    st.text(max_size=40),
    st.binary(max_size=20),
    st.sampled_from(SEARCH_SYNTAX),
    st.sampled_from(["\x00", "a\x00b", "²", "١٢", "٣", "𝟗", "Ⅻ", "½", "-0", "1e999"]),
    st.integers(min_value=10**18, max_value=10**60).map(str),
    st.builds(
        lambda char, times: char * times,
        st.sampled_from(["a", "龙", "9", "\x00", "'", '"', "%", "{"]),
        st.integers(min_value=1, max_value=10_000),
    ),
)

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TARGETS = {
    "search": ("q", "page"),
    "news": ("tag", "page"),
    "products": ("page",),
    "feed": ("tag", "sort", "page"),
    "board": ("tag", "sort", "page"),
    "article": ("sort", "page", "comments_page", "reply_to"),
}


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzz_query_parameters(demo_site, target):
    url = _urls()[target]
    names = TARGETS[target]
    client = Client(raise_request_exception=False)

    @FUZZ
    @given(values=st.lists(HOSTILE, min_size=len(names), max_size=len(names)))
    @example(values=["\x00"] * len(names))
    @example(values=["²"] * len(names))
    @example(values=[b"\xff\xfe"] * len(names))
    @example(values=["9" * 10_000] * len(names))
    @example(values=['"><script>'] * len(names))
    def check(values):
        query = "&".join(
            f"{name}={_encode(value)}"
            for name, value in zip(names, values, strict=True)
        )
        response = client.get(url, QUERY_STRING=query)
        assert response.status_code < 500, (url, query[:200])

    check()


def test_fuzz_member_keys(demo_site):
    client = Client(raise_request_exception=False)

    @FUZZ
    @given(key=HOSTILE.filter(lambda key: key not in ("", b"")))
    @example(key="\x00")
    @example(key="²")
    @example(key=b"\xff\xfe")
    @example(key="9" * 10_000)
    def check(key):
        path = f"/en/community/members/{_encode(key)}/"
        response = client.get(path)
        assert response.status_code < 500, path[:200]

    check()


def test_a_bad_request_gets_the_sites_page_in_the_visitors_language(client, demo_site):
    response = client.get("/zh-hans/search/?q=%00")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'lang="zh-hans"' in html and "我们无法读取这个请求" in html
    english = client.get("/en/search/?q=tea%00").content.decode()
    assert "We could not read that request" in english
