"""No Location header of the demo site leaves it, whatever a visitor puts in
a redirect parameter (`next` and its cousins, the Referer header) or a path.

Endpoints are found in the URLconf (every public URL pattern, so new ones are
probed too, plus the admins' sign-in and sign-out and the demo's pages and
board routes), each asked as a visitor and as a member, by GET and POST, with
an on-site marker in every redirect parameter: those whose Location follows
the marker take visitor input, and get every off-site form of the corpus.
Flows that redirect only once they succeed (sign-in, sign-up and its e-mail
confirmation, the admins' sign-in, a page password, a comment, a like) are
walked through with each form. A Location is read as a browser reads it
(tabs and newlines dropped, backslashes as slashes, any number of leading
slashes, userinfo) and parsed with urllib: its host must be empty or the
site's, or, for endpoints that send visitors to another site by design (a
share intent), the host they use without any visitor input."""

import itertools
import re
from urllib.parse import urlencode, urlsplit

import pytest
from allauth.account.models import EmailConfirmationHMAC
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from wagtail.models import PageViewRestriction, Site

from community.comments.forms import CommentForm
from community.comments.models import Comment, ThreadFollow
from community.comments.notifications import unfollow_token
from community.posts.models import CommunityBoardPage, Post
from socialsite.website.models import ArticlePage, HomePage, ProductPage

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "//evil.example",
    "//evil.example/en/",
    "///evil.example",
    "https://evil.example",
    "https://evil.example/en/",
    "HTTPS://EVIL.EXAMPLE",
    "https:evil.example",
    "http:evil.example",
    "https:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "//evil.example\t/",
    "//\tevil.example",
    "https://testserver@evil.example",
    "https://testserver:80@evil.example/",
    "https://evil.example\\@testserver/",
    "https://evil.example#@testserver",
    "https://testserver.evil.example",
    "//evil.example%2F%2E%2E",
]
# Names under which views take where to go next.
REDIRECT_PARAMETERS = [
    "next",
    "return_url",
    "redirect_to",
    "redirect",
    "url",
    "back",
    "continue",
    "success_url",
    "goto",
    "to",
]
MARKER = "/en/redirect-marker/"
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_addresses = itertools.count(1)


def browser_host(location):
    """The host a browser goes to when it follows `location` from a page of
    the site: "" for the site itself, "<scheme>:" for a URL of another
    scheme (javascript:, data:...)."""
    url = location.strip("".join(map(chr, range(33))))
    url = re.sub("[\t\n\r]", "", url).replace("\\", "/")
    match = SCHEME.match(url)
    if match:
        scheme = match.group(1).lower()
        if scheme not in ("http", "https"):
            return scheme + ":"
        url = url[match.end() :]
        if not url.startswith("/"):
            # http:evil.example from a page on https is http://evil.example.
            url = "//" + url
    if not url.startswith("//"):
        return ""
    parts = urlsplit("//" + url.lstrip("/"))
    return (parts.hostname or "").lower()


def test_browser_host_reads_locations_as_browsers_do():
    assert browser_host("/en/news/") == ""
    assert browser_host("?page=2") == ""
    assert browser_host("http://testserver/en/") == "testserver"
    assert browser_host("//evil.example/x") == "evil.example"
    assert browser_host("///evil.example") == "evil.example"
    assert browser_host("/\\evil.example") == "evil.example"
    assert browser_host("/\t/evil.example") == "evil.example"
    assert browser_host(" https://evil.example") == "evil.example"
    assert browser_host("http:evil.example") == "evil.example"
    assert browser_host("https://testserver@evil.example") == "evil.example"
    assert browser_host("java\tscript:alert(1)") == "javascript:"
    assert browser_host("%2F%2Fevil.example") == ""  # a relative path


def site_hosts():
    return {"", "testserver"} | set(Site.objects.values_list("hostname", flat=True))


def sample_path(route, samples):
    """A concrete path for a URL pattern's text (route or regex), the
    parameters filled from `samples` by name, else by their kind."""

    def named(match):
        name, kind = match.group("name"), match.group("kind") or ""
        if name in samples:
            return str(samples[name])
        return "1" if kind == "int" or "\\d" in kind or "0-9]" in kind else "x"

    path = re.sub(r"\(\?P<(?P<name>\w+)>(?P<kind>[^()]*)\)", named, route)
    path = re.sub(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>", named, path)
    path = re.sub(r"\(\\d\+\)", "1", path)
    path = re.sub(r"\(\(\?:\[\\w\\-\]\+/\)\*\)", "", path)  # Wagtail's pages
    path = re.sub(r"\(\.\*\)", "x", path)
    return "/" + path.replace("^", "").replace("$", "")


def public_patterns(patterns=None, prefix=""):
    """(route text, URL name) of every URL pattern outside the admins."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(("admin/", "django-admin/")):
            continue
        if isinstance(pattern, URLResolver):
            yield from public_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


@pytest.fixture
def demo(demo_site, django_user_model):
    member = django_user_model.objects.get(username="visitor")
    article = ArticlePage.objects.live().filter(locale__language_code="en").first()
    comment = Comment.objects.filter(is_public=True, level=0).first()
    follow = ThreadFollow.objects.create(thread=comment, user=member)
    board = CommunityBoardPage.objects.live().filter(locale__language_code="en")[0]
    post = Post.objects.published().filter(board=board).first()
    return {
        "member": member,
        "editor": django_user_model.objects.get(username="editor"),
        "article": article,
        "comment": comment,
        "board": board,
        "post": post,
        "samples": {
            "key": member.username,
            "pk": article.pk,
            "platform": "x",
            "kind": "page",
            "token": unfollow_token(follow),
            "content_type": "wagtailcore.page",
            "object_pk": article.pk,
            "page_id": article.pk,
            "page_view_restriction_id": 1,
            "restriction_id": 1,
            "provider_id": "oidc",
        },
    }


def endpoints(demo):
    """Every public path of the URLconf (each checked to resolve to its own
    pattern), plus the admins' sign-in and sign-out, demo pages and the
    board's routes."""
    paths, unresolved = [], []
    for route, callback in public_patterns():
        path = sample_path(route, demo["samples"])
        try:
            found = resolve(path).func
        except Resolver404:
            unresolved.append(route)
            continue
        if (
            getattr(found, "__wrapped__", found)
            is not getattr(callback, "__wrapped__", callback)
            and found.__module__ != callback.__module__
        ):
            unresolved.append(route)
            continue
        paths.append(path)
    board, post = demo["board"], demo["post"]
    paths += [
        "/admin/login/",
        "/admin/logout/",
        "/django-admin/login/",
        "/django-admin/logout/",
        HomePage.objects.get(locale__language_code="en").url,
        demo["article"].url,
        ProductPage.objects.live().filter(locale__language_code="en").first().url,
        board.url,
        *(
            board.url + board.reverse_subpage(name, args=args)
            for name, args in [
                ("post_new", []),
                ("post", [post.pk]),
                ("post_like", [post.pk]),
                ("post_report", [post.pk]),
                ("post_edit", [post.pk]),
                ("post_delete", [post.pk]),
            ]
        ),
    ]
    return sorted(set(paths)), unresolved


def ask(client, method, path, value, **extra):
    """One request with `value` in every redirect parameter and the
    Referer, from an address of its own (rate limits count per address)."""
    n = next(_addresses)
    extra.setdefault("REMOTE_ADDR", f"10.99.{n // 250}.{n % 250 + 1}")
    extra.setdefault("HTTP_USER_AGENT", "Mozilla/5.0 (X11; Linux x86_64) Firefox/130")
    extra["HTTP_REFERER"] = value
    query = urlencode(dict.fromkeys(REDIRECT_PARAMETERS, value))
    if method == "GET":
        return client.get(f"{path}?{query}", **extra)
    data = extra.pop("data", {})
    return client.post(
        f"{path}?{query}",
        {**dict.fromkeys(REDIRECT_PARAMETERS, value), **data},
        **extra,
    )


def off_site(response, allowed, baseline=None):
    """The Location of `response` when it leaves the site, else None."""
    location = response.headers.get("Location")
    if location is None:
        return None
    host = browser_host(location)
    if host in allowed:
        return None
    if baseline is not None and host == baseline and "evil" not in location:
        return None  # where the endpoint always sends people (a share intent)
    return location


def baseline_host(client, method, path):
    response = ask(client, method, path, "")
    location = response.headers.get("Location")
    return browser_host(location) if location else None


def leaves_site(response, allowed, client, method, path):
    """`off_site`, asking the endpoint without visitor input only when the
    Location goes elsewhere (where it sends everyone is allowed)."""
    if off_site(response, allowed) is None:
        return None
    return off_site(response, allowed, baseline_host(client, method, path))


@override_settings(
    COMMUNITY_COMMENTS_RATE_LIMITS={
        "comment": "1000/m/user",
        "reaction": "1000/m/user",
    },
    COMMUNITY_POSTS_RATE_LIMITS={"post": "1000/m/user", "post_reaction": "1000/m/user"},
)
def test_no_endpoint_redirects_off_the_site(demo):
    paths, unresolved = endpoints(demo)
    assert unresolved == [], "give these URL patterns a sample in demo()"
    allowed = site_hosts()
    # A server error is recorded, not raised: the probe goes on.
    clients = {
        "visitor": Client(raise_request_exception=False),
        "member": Client(raise_request_exception=False),
    }
    clients["member"].force_login(demo["member"])
    failures, honouring, errors = [], [], []
    for (who, client), path, method in itertools.product(
        clients.items(), paths, ["GET", "POST"]
    ):
        response = ask(client, method, path, MARKER)
        if response.status_code >= 500:
            errors.append((who, method, path, response.status_code))
        location = response.headers.get("Location", "")
        # Input that only reaches the Location's query (a sign-in page's
        # `next`) cannot move its host: that page is probed on its own.
        if "redirect-marker" in location.split("?", 1)[0]:
            honouring.append((who, method, path))
        if leaves_site(response, allowed, client, method, path):
            failures.append((who, method, path, MARKER, location))
        if who == "member" and "logout" in path and method == "POST":
            client.force_login(demo["member"])
    for who, method, path in honouring:
        client = clients[who]
        for value in OFF_SITE:
            response = ask(client, method, path, value)
            location = leaves_site(response, allowed, client, method, path)
            if location:
                failures.append((who, method, path, value, location))
            if who == "member" and "logout" in path and method == "POST":
                client.force_login(demo["member"])
    assert failures == []
    assert errors == []
    # The probe sees redirects that follow visitor input where they should.
    assert ("member", "GET", "/accounts/login/") in honouring
    assert ("member", "POST", "/accounts/logout/") in honouring
    assert ("visitor", "POST", "/i18n/setlang/") in honouring
    assert len(paths) > 60


def test_sign_in_then_redirect(demo, client):
    allowed = site_hosts()
    response = ask(
        client,
        "POST",
        "/accounts/login/",
        MARKER,
        data={"login": "visitor@cloudmist.example", "password": "cloudmist-visitor"},
    )
    assert response.headers["Location"] == MARKER  # the probe reaches it
    for value in OFF_SITE:
        client.logout()
        response = ask(
            client,
            "POST",
            "/accounts/login/",
            value,
            data={
                "login": "visitor@cloudmist.example",
                "password": "cloudmist-visitor",
            },
        )
        assert response.status_code == 302, value
        assert off_site(response, allowed) is None, value


def test_sign_up_and_confirm_then_redirect(demo, client):
    """The `next` of a sign-up is followed after the e-mail confirmation."""
    allowed = site_hosts()
    for n, value in enumerate([MARKER, *OFF_SITE]):
        client.logout()
        mail.outbox.clear()
        email = f"probe-{n}@example.com"
        response = ask(
            client,
            "POST",
            "/accounts/signup/",
            value,
            data={
                "email": email,
                "password1": "Tea-probe-91x",
                "password2": "Tea-probe-91x",
            },
        )
        assert response.status_code == 302, (value, response.status_code)
        assert off_site(response, allowed) is None, value
        user = get_user_model().objects.get(email=email)
        key = EmailConfirmationHMAC(user.emailaddress_set.get()).key
        response = ask(client, "POST", f"/accounts/confirm-email/{key}/", value)
        assert response.status_code == 302, value
        assert off_site(response, allowed) is None, (value, response["Location"])
        if value == MARKER:
            assert response["Location"] == MARKER


@pytest.mark.parametrize(
    ("path", "username", "password"),
    [
        ("/admin/login/", "editor", "cloudmist-editor"),
        ("/django-admin/login/", "editor", "cloudmist-editor"),
    ],
)
def test_admin_sign_in_then_redirect(demo, client, path, username, password):
    allowed = site_hosts()
    for value in [MARKER, *OFF_SITE]:
        client.logout()
        response = ask(
            client,
            "POST",
            path,
            value,
            data={"username": username, "password": password},
        )
        assert response.status_code == 302, value
        assert off_site(response, allowed) is None, (value, response["Location"])
        if value == MARKER:
            assert response["Location"] == MARKER


def test_page_password_then_redirect(demo, client):
    article = demo["article"]
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type="password", password="oolong"
    )
    path = f"/en/_util/authenticate_with_password/{restriction.pk}/{article.pk}/"
    allowed = site_hosts()
    for value in [MARKER, *OFF_SITE]:
        response = ask(client, "POST", path, value, data={"password": "oolong"})
        assert response.status_code == 302, value
        assert off_site(response, allowed) is None, (value, response["Location"])
        if value == MARKER:
            assert response["Location"] == MARKER


@override_settings(
    COMMUNITY_COMMENTS_RATE_LIMITS={
        "comment": "1000/m/user",
        "reaction": "1000/m/user",
    },
    COMMUNITY_POSTS_RATE_LIMITS={"post": "1000/m/user", "post_reaction": "1000/m/user"},
)
def test_comments_and_likes_go_back_to_their_page(demo, client):
    """A comment's form carries comments-xtd's own `next` field: the page the
    comment is on is where its author goes back to, never elsewhere."""
    client.force_login(demo["member"])
    allowed = site_hosts()
    article, board, post = demo["article"], demo["board"], demo["post"]
    like = board.url + board.reverse_subpage("post_like", args=[post.pk])
    for n, value in enumerate(OFF_SITE):
        data = {
            **CommentForm(article, user=demo["member"]).initial,
            "comment": f"Probe {n}: a fine spring harvest.",
            "url": "",
        }
        response = ask(client, "POST", "/en/community/comments/post/", value, data=data)
        assert response.status_code == 302, (value, response.status_code)
        assert off_site(response, allowed) is None, (value, response["Location"])
        assert response["Location"].startswith(article.url)
        response = ask(client, "POST", like, value)
        assert response.status_code == 302, value
        assert off_site(response, allowed) is None, (value, response["Location"])


@pytest.mark.parametrize("platform", ["x", "weibo", "linkedin"])
def test_share_intents_ignore_the_query(demo, client, platform):
    """The share endpoint goes off the site by design, to the platform: to
    the same address whatever the visitor adds."""
    path = f"/en/share/{platform}/page/{demo['article'].pk}/"
    expected = ask(client, "GET", path, "").headers["Location"]
    assert urlsplit(expected).hostname not in site_hosts()
    for value in OFF_SITE:
        response = ask(client, "GET", path, value)
        assert response.headers["Location"] == expected, value
