from html.parser import HTMLParser

import pytest

from community.markdown import count_links, render_markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*soft* and **strong**", "<p><em>soft</em> and <strong>strong</strong></p>"),
        ("> steeped twice", "<blockquote>\n<p>steeped twice</p>\n</blockquote>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("1. rinse", "<ol>\n<li>rinse</li>\n</ol>"),
        ("use `85°C` water", "<p>use <code>85°C</code> water</p>"),
        (
            "[our shop](https://tea.example/shop)",
            '<p><a href="https://tea.example/shop" rel="nofollow ugc noopener">'
            "our shop</a></p>",
        ),
    ],
)
def test_the_markdown_subset(source, expected):
    assert render_markdown(source) == expected


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="https://x" onclick="alert(1)">x</a>',
        "![pixel](https://tracker.example/p.gif)",
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '[x](https://ok.example "title" onmouseover=alert(1))',
    ],
)
def test_visitor_html_never_gets_through(attack):
    html = render_markdown(attack)
    elements = Elements()
    elements.feed(html)
    for tag, attrs in elements.found:
        assert tag in {"p", "a", "em", "strong", "code", "pre", "br"}, html
        for name, value in attrs:
            assert name in {"href", "rel"}, html
            if name == "href":
                assert value.startswith(("https://", "http://")), html


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def test_headings_and_tables_stay_text():
    assert render_markdown("# Big") == "<p># Big</p>"


def test_links_are_counted_in_text_and_markdown():
    assert count_links("see https://a.example and [b](http://b.example) www.c.cn") == 3
