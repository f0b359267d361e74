"""Every page type of the demo site, in both languages, for a visitor and for a
signed-in member: the list the standards checks (Nu HTML Checker, axe-core)
walk. Paths that depend on the data (a post, a member) are found by following
the site's own links, so the list follows the demo content."""

import http.cookiejar
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Installed from the npm registry by `npm ci` (package.json; .ci/run does it).
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "artifacts"

LANGUAGES = ("en", "zh-hans")
ACCEPT_LANGUAGE = {"en": "en", "zh-hans": "zh-Hans,zh;q=0.9"}
VISITOR_LOGIN = ("visitor@cloudmist.example", "cloudmist-visitor")
SEARCH_WITH_RESULTS = {"en": "tea", "zh-hans": "龙井"}
BOARDS = ("stories", "photo-wall", "reviews", "questions")

# (name, path template): {lang} is the language prefix.
FIXED_PAGES = [
    ("home", "/{lang}/"),
    ("article-index", "/{lang}/news/"),
    ("article-index-tag", "/{lang}/news/?tag=harvest"),
    ("article", "/{lang}/news/spring-harvest-2026/"),
    ("product-index", "/{lang}/teas/"),
    ("product", "/{lang}/teas/west-lake-longjing/"),
    ("standard", "/{lang}/about/"),
    ("contact", "/{lang}/contact/"),
    ("community-feed", "/{lang}/community/posts/"),
    ("search-empty", "/{lang}/search/"),
    ("search-results", "/{lang}/search/?q={q}"),
    ("search-no-results", "/{lang}/search/?q=zzqxjvk"),
    ("not-found", "/{lang}/no-such-page/"),
    ("password-reset", "/accounts/password/reset/"),
    ("campaign-index", "/{lang}/campaigns/"),
    ("campaign-contest", "/{lang}/campaigns/spring-photo-contest/"),
    ("campaign-survey", "/{lang}/campaigns/tea-habits-survey/"),
    ("campaign-winners", "/{lang}/campaigns/autumn-harvest-contest/"),
    ("campaign-ranking", "/{lang}/campaigns/autumn-harvest-contest/ranking/"),
    ("event-index", "/{lang}/events/"),
    ("event-index-past", "/{lang}/events/?when=past"),
    ("event-calendar", "/{lang}/events/calendar/"),
    ("event", "/{lang}/events/spring-longjing-tasting-hangzhou/"),
] + [(f"board-{slug}", f"/{{lang}}/{slug}/") for slug in BOARDS]

# Signed-in members are sent on from these.
VISITOR_PAGES = [
    ("sign-in", "/accounts/login/"),
    ("sign-up", "/accounts/signup/"),
]

MEMBER_PAGES = [
    ("account-settings", "/{lang}/community/account/"),
    ("account-email", "/accounts/email/"),
    ("account-password", "/accounts/password/change/"),
    ("post-form", "/{lang}/stories/new/"),
    ("photo-form", "/{lang}/photo-wall/new/"),
    ("review-form", "/{lang}/reviews/new/"),
    ("question-form", "/{lang}/questions/new/"),
    ("campaign-entry-form", "/{lang}/campaigns/spring-photo-contest/new/"),
    ("campaign-referrals", "/{lang}/community/campaigns/referrals/"),
    ("my-events", "/{lang}/community/events/mine/"),
]


@dataclass
class SitePage:
    name: str
    language: str
    member: bool
    url: str
    status: int
    html: str

    @property
    def label(self):
        who = "member" if self.member else "visitor"
        return f"{self.name}-{self.language}-{who}"


class Client:
    """A cookie-keeping HTTP client of the live site (no browser needed)."""

    def __init__(self, base_url, language):
        self.base_url = base_url
        self.language = language
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def request(self, path, data=None):
        url = urllib.parse.urljoin(self.base_url, path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 (the live site on loopback)
            url,
            data=body,
            headers={
                "Accept-Language": ACCEPT_LANGUAGE[self.language],
                "Referer": url,
            },
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode()

    def sign_in(self):
        _, _, html = self.request("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token, "no CSRF token on the sign-in page"
        login, password = VISITOR_LOGIN
        status, url, _ = self.request(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token.group(1),
                "login": login,
                "password": password,
            },
        )
        assert "/accounts/login/" not in url, f"sign-in failed ({status} at {url})"


def first_link(html, pattern):
    match = re.search(r'href="(' + pattern + r')"', html)
    return match.group(1) if match else None


def page_paths(client, member):
    """[(name, path)] of every page type for this client's language."""
    lang = client.language
    paths = [
        (
            name,
            template.format(lang=lang, q=urllib.parse.quote(SEARCH_WITH_RESULTS[lang])),
        )
        for name, template in FIXED_PAGES
    ]
    extra = MEMBER_PAGES if member else VISITOR_PAGES
    paths += [(name, template.format(lang=lang)) for name, template in extra]
    # One post of each board (a story, a photo post, a review, a question)
    # and the member page of a post's author.
    for slug in BOARDS:
        _, _, html = client.request(f"/{lang}/{slug}/")
        post = first_link(html, rf"/{lang}/{slug}/\d+/")
        assert post, f"no post on the {slug} board"
        paths.append((f"post-{slug}", post))
        if slug == "stories":
            _, _, post_html = client.request(post)
            member_page = first_link(post_html, rf"/{lang}/community/members/[^/\"]+/")
            assert member_page, "no author link on a post"
            paths.append(("member-page", member_page))
    return paths


def collect_pages(base_url):
    """Every page type in both languages, anonymous and signed in."""
    pages = []
    for language in LANGUAGES:
        for member in (False, True):
            client = Client(base_url, language)
            if member:
                client.sign_in()
            for name, path in page_paths(client, member):
                status, url, html = client.request(path)
                pages.append(SitePage(name, language, member, url, status, html))
    return pages


def member_cookies(base_url, language):
    """The cookies of a signed-in demo visitor, for a browser context."""
    client = Client(base_url, language)
    client.sign_in()
    return [
        {"name": cookie.name, "value": cookie.value, "url": base_url}
        for cookie in client.cookies
    ]


def require_tool(found, what):
    """Skip (or fail in CI, SOCIALSITE_REQUIRE_BROWSER=1) without a tool."""
    if found:
        return
    message = f"{what} is missing: run `npm ci` in the repository root"
    if os.environ.get("SOCIALSITE_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)
