"""50 members writing at once never lose or double a count: against a live
server on PostgreSQL, each likes the same post and the same comment, shares
the post and comments on it, all at the same moment; then each clicks "like"
twice at once. Counters must equal the rows they count, and every write must
be there exactly once.

Transactional, so it runs in a process of its own in CI (a flush empties the
database at the end; Wagtail's roots are made again for the next test):
skipped on SQLite, which serialises writers anyway, before the transactional
database is set up."""

import http.client
import json
import random
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import Client, override_settings
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from wagtail.models import Collection, Locale, Page, Site

from community.comments.forms import CommentForm
from community.comments.models import Comment, CommentReaction
from community.posts.models import Post, PostReaction
from sharing import counters
from sharing.models import ShareCount
from tests.community.posts.post_helpers import make_board
from tests.factories import MemberFactory

MEMBERS = 50
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"
RATE_LIMITS = {
    "COMMUNITY_COMMENTS_RATE_LIMITS": {
        "comment": "1000/m/user,1000/m/ip",
        "reaction": "1000/m/user,1000/m/ip",
    },
    "COMMUNITY_POSTS_RATE_LIMITS": {
        "post": "1000/m/user,1000/m/ip",
        "post_reaction": "1000/m/user,1000/m/ip",
    },
}


@pytest.fixture
def postgres_only():
    # Skipped before transactional_db is set up: its flush at the end empties
    # every table, the data other tests of this process share included.
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is tested on PostgreSQL (CI's PostgreSQL pass)")


class RoomyServer(ThreadedWSGIServer):
    # Django's server listens with a backlog of 10: 50 members connecting at
    # the same moment would be turned away before any request is read.
    request_queue_size = 128


class RoomyServerThread(LiveServerThread):
    server_class = RoomyServer


def wagtail_roots():
    """The default site's home page, with what Wagtail's migrations make
    (the default locale, the root page, a default site, the root collection)
    made again when a flush emptied the database."""
    locale = Locale.objects.filter(language_code="en").first() or (
        Locale.objects.create(language_code="en")
    )
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        home = root.add_child(instance=Page(title="Home", slug="home", locale=locale))
        site = Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True
        )
    return site.root_page.specific


@pytest.fixture
def wagtail_roots_after(django_db_blocker):
    """After the transactional database's flush (this fixture comes before
    it, so it ends after it), make Wagtail's roots again: the other
    transactional tests of this process expect them, as migrations left
    them."""
    yield
    with django_db_blocker.unblock():
        wagtail_roots()


@pytest.fixture
def live_server_url(postgres_only, wagtail_roots_after, transactional_db):
    thread = RoomyServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def scene(live_server_url):
    """A board with a published post and a published comment on it, on the
    default site, and MEMBERS members signed in (session cookies). Works on
    a database another transactional test emptied."""
    home = wagtail_roots()
    board = make_board(home, who_may_post="members")
    author = MemberFactory()
    post = Post.objects.create(
        board=board,
        author=author,
        kind="story",
        state=Post.State.PUBLISHED,
        title="The first flush",
        body="Picked this morning.",
        language="en",
    )
    comment = Comment.objects.create(
        content_type=ContentType.objects.get_for_model(Post),
        object_pk=str(post.pk),
        site_id=settings.SITE_ID,
        user=author,
        user_name=author.username,
        comment="Who else is brewing it today?",
        state=Comment.State.PUBLISHED,
        is_public=True,
        language="en",
    )
    members = []
    for _n in range(MEMBERS):
        member = MemberFactory()
        client = Client()
        client.force_login(member)
        members.append((member, client.cookies[settings.SESSION_COOKIE_NAME].value))
    return {
        "server": urlsplit(live_server_url),
        "board": board,
        "post": post,
        "comment": comment,
        "members": members,
        "form": CommentForm(post).initial,
    }


def send(scene, session, method, path, data=None, *, agent=BROWSER):
    """One request to the live server as the member of `session`, with a
    CSRF cookie and header; (status, JSON body or None)."""
    token = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
    headers = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
        f"{settings.CSRF_COOKIE_NAME}={token}",
        "X-CSRFToken": token,
        "User-Agent": agent,
        "Accept": "application/json",
    }
    body = None
    if data is not None:
        body = urlencode(data)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    server = scene["server"]
    conn = http.client.HTTPConnection(server.hostname, server.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, None


def actions(scene, n, session):
    """What member `n` does: like the post and the comment, share the post,
    comment on it; in an order of its own."""
    board, post, comment = scene["board"], scene["post"], scene["comment"]
    like_post = board.url + board.reverse_subpage("post_like", args=[post.pk])
    steps = [
        ("like post", lambda: send(scene, session, "POST", like_post, {})),
        (
            "like comment",
            lambda: send(
                scene, session, "POST", f"/en/community/comments/{comment.pk}/like/", {}
            ),
        ),
        (
            "share",
            lambda: send(
                scene,
                session,
                "GET",
                f"/en/share/x/post/{post.pk}/",
                agent=f"{BROWSER} member-{n}",
            ),
        ),
        (
            "comment",
            lambda: send(
                scene,
                session,
                "POST",
                "/en/community/comments/post/",
                {**scene["form"], "comment": f"Comment {n}: a fine harvest."},
            ),
        ),
    ]
    random.Random(n).shuffle(steps)
    return steps


def all_at_once(jobs):
    """Run each job (a list of steps) in a thread of its own, all started
    at the same moment; {label: [status, ...]}."""
    start = threading.Barrier(len(jobs))
    results = {}
    lock = threading.Lock()

    def run(steps):
        start.wait()
        for label, step in steps:
            status, _body = step()
            with lock:
                results.setdefault(label, []).append(status)

    with ThreadPoolExecutor(len(jobs)) as pool:
        list(pool.map(run, jobs))
    return results


@override_settings(**RATE_LIMITS)
def test_fifty_members_at_once_are_all_counted_once(scene):
    post, comment = scene["post"], scene["comment"]
    jobs = [
        actions(scene, n, session)
        for n, (_member, session) in enumerate(scene["members"])
    ]
    results = all_at_once(jobs)
    assert results == {
        "like post": [200] * MEMBERS,
        "like comment": [200] * MEMBERS,
        "share": [302] * MEMBERS,
        "comment": [200] * MEMBERS,
    }
    counters.flush()  # share clicks counted in Redis reach the database

    post.refresh_from_db()
    comment.refresh_from_db()
    assert PostReaction.objects.filter(post=post).count() == MEMBERS
    assert post.like_count == MEMBERS
    assert CommentReaction.objects.filter(comment=comment).count() == MEMBERS
    assert comment.like_count == MEMBERS
    assert ShareCount.total_for("post", post.pk) == MEMBERS
    comments = Comment.objects.for_object(post).exclude(pk=comment.pk)
    assert comments.count() == MEMBERS
    assert sorted(c.comment for c in comments) == sorted(
        f"Comment {n}: a fine harvest." for n in range(MEMBERS)
    )
    assert set(comments.values_list("user_id", flat=True)) == {
        member.pk for member, _session in scene["members"]
    }
    # Comments are published at once on this board: the post's counter of
    # published comments sees every one (and the scene's own comment).
    assert comments.filter(state=Comment.State.PUBLISHED).count() == MEMBERS
    assert post.comment_count == MEMBERS + 1


@override_settings(**RATE_LIMITS)
@pytest.mark.parametrize("target", ["post", "comment"])
def test_double_clicks_keep_counters_equal_to_their_rows(scene, target):
    """Half the members click "like" twice at the same moment (a double
    click; 50 requests at once): whatever each ends as, the counter equals
    the likes stored."""
    post, comment, board = scene["post"], scene["comment"], scene["board"]
    path = {
        "post": board.url + board.reverse_subpage("post_like", args=[post.pk]),
        "comment": f"/en/community/comments/{comment.pk}/like/",
    }[target]
    jobs = [
        [("like", lambda s=session: send(scene, s, "POST", path, {}))]
        for _member, session in scene["members"][: MEMBERS // 2]
        for _click in range(2)
    ]
    results = all_at_once(jobs)
    assert results == {"like": [200] * MEMBERS}
    item = post if target == "post" else comment
    item.refresh_from_db()
    rows = (
        PostReaction.objects.filter(post=post)
        if target == "post"
        else CommentReaction.objects.filter(comment=comment)
    )
    assert item.like_count == rows.count() <= MEMBERS // 2
