"""The several-machines profile, tested from outside on the real engines
(deploy/cluster.sh: Varnish -> HAProxy -> 2 gunicorn app servers; PostgreSQL
primary + streaming replica; Redis; moto's S3 server; 2 RQ workers).

The tests run in file order (-p no:randomly: the fault tests stop and start
parts of the one cluster) and scope what they check to what they made."""

import io
import re
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from PIL import Image

from tests.cluster.helpers import BROWSER, SourceAddressAdapter, Visitor, forms

PASSWORD = "a-long-tea-password-77"
WRITERS = 50
BURST = 5000
# How long a change may take to show through Varnish after the publish
# returns. The purge is sent by the publishing process when its transaction
# commits (socialsite.rq.INLINE_TASKS), not queued: the first request after
# the publish normally shows the change already.
PURGE_DEADLINE = 1.0


def png(color, size=(640, 480)):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 7):  # not one flat colour
        image.putpixel((x, x % size[1]), (255, 255, 255))
    image.save(buffer, "PNG")
    return buffer.getvalue()


def wait_for(check, timeout=60, interval=0.5, message="condition"):
    """Poll `check` until it returns something truthy; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message}: not within {timeout} s")
        time.sleep(interval)


def sign_up(cluster, visitor):
    email = f"cluster-{secrets.token_hex(5)}@example.org"
    page, form = visitor.form("/accounts/signup/", "/accounts/signup/")
    response = visitor.submit(
        page, form, email=email, password1=PASSWORD, password2=PASSWORD
    )
    assert response.status_code == 200, response.status_code
    link = cluster.mail_link(email, r"https?://[^\s]+/accounts/confirm-email/[^\s]+")
    page, form = visitor.form(link, "confirm-email")
    response = visitor.submit(page, form)
    assert response.status_code == 200
    assert "sessionid" in visitor.http.cookies
    return email


def sign_in(visitor, email, password):
    page, form = visitor.form("/accounts/login/", "/accounts/login/")
    response = visitor.submit(page, form, login=email, password=password)
    assert response.status_code == 200
    assert "sessionid" in visitor.http.cookies
    return visitor


def s3_images(cluster, html, prefix):
    return re.findall(
        rf'src="({re.escape(cluster.s3_url)}/socialsite-media/{prefix}[^"]+)"', html
    )


def test_member_journey_through_the_load_balancer(cluster):
    """Sign up, avatar, a post with two pictures, a comment: through Varnish
    and HAProxy; files in the object store, served from its URL; both app
    servers know the member's session."""
    visitor = Visitor(cluster.url)
    email = sign_up(cluster, visitor)

    # The same session on each app server, asked directly.
    for app_url in cluster.app_urls:
        account = visitor.http.get(f"{app_url}/en/community/account/", timeout=60)
        assert account.status_code == 200, app_url
        assert email in account.text or "account-form" in account.text
        assert account.url.startswith(f"{app_url}/en/community/account/")

    page, form = visitor.form("/en/community/account/", "account-form")
    response = visitor.submit(
        page,
        form,
        files={"avatar_upload": ("me.png", png((59, 122, 92)), "image/png")},
        display_name="Cluster Member",
    )
    assert response.status_code == 200
    # A worker renders the avatar into the object store.
    avatars = wait_for(
        lambda: s3_images(
            cluster, visitor.get("/en/community/account/").text, "community/avatars/"
        ),
        timeout=120,
        message="the avatar in S3",
    )
    for url in avatars:
        picture = requests.get(url, timeout=30)
        assert picture.status_code == 200
        assert picture.headers["Content-Type"].startswith("image/")

    page, form = visitor.form("/en/stories/new/", "post-form")
    response = visitor.submit(
        page,
        form,
        files=[
            ("images", ("red.png", png((200, 30, 30)), "image/png")),
            ("images", ("blue.png", png((30, 30, 200)), "image/png")),
        ],
        title="Harvest on two app servers",
        body="Picked this morning, posted through the load balancer.",
    )
    assert response.status_code == 200
    post_path = re.match(r"https?://[^/]+(/en/stories/\d+/)$", response.url)
    assert post_path, response.url
    post_path = post_path.group(1)
    pictures = wait_for(
        lambda: (
            found
            if len(
                found := s3_images(
                    cluster, visitor.get(post_path).text, "community/posts/"
                )
            )
            >= 2
            else None
        ),
        timeout=120,
        message="the post's pictures in S3",
    )
    for url in pictures:
        picture = requests.get(url, timeout=30)
        assert picture.status_code == 200
        assert picture.headers["Content-Type"].startswith("image/")
    # The file is in the bucket itself, not on an app server's disk.
    key = pictures[0].split("/socialsite-media/", 1)[1]
    assert cluster.shell(
        "from django.core.files.storage import default_storage\n"
        "RESULT = [type(default_storage._wrapped).__name__,\n"
        "    default_storage.exists(PARAMS['key'])]",
        key=key,
    ) == ["S3Storage", True]

    page = visitor.get(post_path)
    comment_form = next(f for f in forms(page.text) if "comments/post" in f.action)
    text = f"Brewed it twice, {secrets.token_hex(3)}."
    response = visitor.submit(page, comment_form, comment=text)
    assert response.status_code in (200, 302)
    wait_for(lambda: text in visitor.get(post_path).text, message="the comment")


def test_anonymous_pages_hit_varnish_and_signed_in_pass(cluster):
    anonymous = requests.Session()
    home = anonymous.get(f"{cluster.url}/en/", timeout=60)
    # Wagtail's image renditions are in the object store too.
    renditions = s3_images(cluster, home.text, "images/")
    assert renditions
    picture = requests.get(renditions[0], timeout=30)
    assert picture.status_code == 200
    assert picture.headers["Content-Type"].startswith("image/")
    hits = cluster.varnish_counter("MAIN.cache_hit")
    for _ in range(3):
        response = anonymous.get(f"{cluster.url}/en/", timeout=60)
        assert response.status_code == 200
        assert response.headers["X-Cache"] == "HIT"
        assert "public" in response.headers["Cache-Control"]
    # Varnish's worker threads add their counts up now and then: poll.
    hits = wait_for(
        lambda: (
            (value := cluster.varnish_counter("MAIN.cache_hit")) >= hits + 3 and value
        ),
        timeout=15,
        message="three hits counted",
    )

    member = sign_in(
        Visitor(cluster.url), "visitor@cloudmist.example", "cloudmist-visitor"
    )
    passes = cluster.varnish_counter("MAIN.s_pass")
    for _ in range(2):
        response = member.get("/en/")
        assert response.status_code == 200
        assert response.headers["X-Cache"] == "MISS"
        assert "private" in response.headers["Cache-Control"]
        assert "/accounts/logout/" in response.text
    wait_for(
        lambda: cluster.varnish_counter("MAIN.s_pass") >= passes + 2,
        timeout=15,
        message="two passes counted",
    )
    assert cluster.varnish_counter("MAIN.cache_hit") == hits


def test_publish_purges_varnish(cluster):
    found = cluster.shell(
        "from socialsite.website.models import ArticlePage\n"
        "page = ArticlePage.objects.live().filter(locale__language_code='en').first()\n"
        "RESULT = [page.pk, page.url]"
    )
    pk, path = found
    url = f"{cluster.url}{path}"
    requests.get(url, timeout=60)
    assert requests.get(url, timeout=60).headers["X-Cache"] == "HIT"

    title = f"Spring harvest {secrets.token_hex(4)}"
    cluster.shell(
        "from wagtail.models import Page\n"
        "page = Page.objects.get(pk=PARAMS['pk']).specific\n"
        "page.title = PARAMS['title']\n"
        "page.save_revision().publish()\n",
        pk=pk,
        title=title,
    )
    wait_for(
        lambda: title in requests.get(url, timeout=60).text,
        timeout=PURGE_DEADLINE,
        interval=0.05,
        message="the new version through Varnish",
    )
    assert requests.get(url, timeout=60).headers["X-Cache"] in ("MISS", "HIT")

    # Unpublished: gone from Varnish too; published again: back.
    assert requests.get(url, timeout=60).headers["X-Cache"] == "HIT"
    cluster.shell(
        "from wagtail.models import Page\n"
        "Page.objects.get(pk=PARAMS['pk']).specific.unpublish()\n",
        pk=pk,
    )
    wait_for(
        lambda: requests.get(url, timeout=60).status_code == 404,
        timeout=PURGE_DEADLINE,
        interval=0.05,
        message="the unpublished page gone from Varnish",
    )
    cluster.shell(
        "from wagtail.models import Page\n"
        "Page.objects.get(pk=PARAMS['pk']).get_latest_revision().publish()\n",
        pk=pk,
    )
    wait_for(
        lambda: title in requests.get(url, timeout=60).text,
        timeout=PURGE_DEADLINE,
        interval=0.05,
        message="the page published again through Varnish",
    )


# --- 50 writers -------------------------------------------------------------

SCENE = """
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from community.comments.forms import CommentForm
from community.comments.models import Comment
from community.posts.models import CommunityBoardPage, Post
from tests.factories import MemberFactory

board = CommunityBoardPage.objects.get(
    url_path__endswith='/stories/', locale__language_code='en'
)
author = MemberFactory()
post = Post.objects.create(
    board=board, author=author, kind='story', state=Post.State.PUBLISHED,
    title='Fifty at once', body='Who is brewing today?', language='en',
)
comment = Comment.objects.create(
    content_type=ContentType.objects.get_for_model(Post), object_pk=str(post.pk),
    site_id=settings.SITE_ID, user=author, user_name=author.username,
    comment='First!', state=Comment.State.PUBLISHED, is_public=True, language='en',
)
sessions = []
for n in range(PARAMS['members']):
    member = MemberFactory()
    client = Client()
    client.force_login(member)
    sessions.append([member.pk, client.cookies[settings.SESSION_COOKIE_NAME].value])
RESULT = {
    'post': post.pk, 'comment': comment.pk,
    'like_post': board.url + board.reverse_subpage('post_like', args=[post.pk]),
    'form': {k: str(v) for k, v in CommentForm(post).initial.items()},
    'sessions': sessions,
}
"""

COUNTS = """
from sharing import counters
from sharing.models import ShareCount
from community.comments.models import Comment, CommentReaction
from community.posts.models import Post, PostReaction
counters.flush()
post = Post.objects.get(pk=PARAMS['post'])
comment = Comment.objects.get(pk=PARAMS['comment'])
others = Comment.objects.for_object(post).exclude(pk=comment.pk)
RESULT = {
    'post_likes': PostReaction.objects.filter(post=post).count(),
    'post_like_count': post.like_count,
    'comment_likes': CommentReaction.objects.filter(comment=comment).count(),
    'comment_like_count': comment.like_count,
    'comments': sorted(others.values_list('comment', flat=True)),
    'commenters': sorted(others.values_list('user_id', flat=True)),
    'shares': ShareCount.total_for('post', post.pk),
}
"""


def send(base, method, path, *, session=None, data=None, agent=BROWSER, source=None):
    """One request from loopback address `source`; its status."""
    token = secrets.token_hex(16)
    headers = {"User-Agent": agent, "Accept": "application/json"}
    if session:
        headers["Cookie"] = f"sessionid={session}; csrftoken={token}"
        headers["X-CSRFToken"] = token
    with requests.Session() as http:
        if source:
            http.mount("http://", SourceAddressAdapter(source))
        response = http.request(
            method,
            f"{base}{path}",
            data=data,
            headers=headers,
            timeout=120,
            allow_redirects=False,
        )
    return response.status_code


def post_lines(cluster):
    return {
        name: sum(
            1
            for line in (cluster.state / "logs" / f"{name}-access.log")
            .read_text()
            .splitlines()
            if '"POST ' in line
        )
        for name in ("app1", "app2")
    }


def test_fifty_writers_and_a_share_burst_are_counted_exactly(cluster):
    scene = cluster.shell(SCENE, members=WRITERS)
    before = post_lines(cluster)

    def writer(n):
        session = scene["sessions"][n][1]
        source = f"127.0.1.{n + 1}"
        return [
            (
                "like post",
                send(
                    cluster.url,
                    "POST",
                    scene["like_post"],
                    session=session,
                    data={},
                    source=source,
                ),
            ),
            (
                "like comment",
                send(
                    cluster.url,
                    "POST",
                    f"/en/community/comments/{scene['comment']}/like/",
                    session=session,
                    data={},
                    source=source,
                ),
            ),
            (
                "share",
                send(
                    cluster.url,
                    "GET",
                    f"/en/share/x/post/{scene['post']}/",
                    session=session,
                    agent=f"{BROWSER} writer-{n}",
                    source=source,
                ),
            ),
            (
                "comment",
                send(
                    cluster.url,
                    "POST",
                    "/en/community/comments/post/",
                    session=session,
                    data={**scene["form"], "comment": f"Comment {n}: a fine harvest."},
                    source=source,
                ),
            ),
        ]

    def click(n):
        return send(
            cluster.url,
            "GET",
            f"/en/share/weibo/post/{scene['post']}/",
            agent=f"{BROWSER} burst-{n}",
            source=f"127.0.2.{n % 250 + 1}",
        )

    with ThreadPoolExecutor(WRITERS) as pool:
        results = {}
        for steps in pool.map(writer, range(WRITERS)):
            for label, status in steps:
                results.setdefault(label, []).append(status)
        burst = list(pool.map(click, range(BURST)))

    assert results == {
        "like post": [200] * WRITERS,
        "like comment": [200] * WRITERS,
        "share": [302] * WRITERS,
        "comment": [200] * WRITERS,
    }
    assert burst == [302] * BURST
    after = post_lines(cluster)
    assert after["app1"] > before["app1"] and after["app2"] > before["app2"]

    counts = cluster.shell(COUNTS, post=scene["post"], comment=scene["comment"])
    member_ids = sorted(member for member, _session in scene["sessions"])
    assert counts == {
        "post_likes": WRITERS,
        "post_like_count": WRITERS,
        "comment_likes": WRITERS,
        "comment_like_count": WRITERS,
        "comments": sorted(f"Comment {n}: a fine harvest." for n in range(WRITERS)),
        "commenters": member_ids,
        "shares": WRITERS + BURST,
    }


# --- Faults -----------------------------------------------------------------


def test_load_balancer_keeps_serving_when_an_app_server_stops(cluster):
    statuses = []
    stop = threading.Event()
    lock = threading.Lock()
    threads = 6

    def load():
        with requests.Session() as http:
            # A session cookie: Varnish passes, an app server answers.
            http.headers["Cookie"] = "sessionid=not-a-session"
            while not stop.is_set():
                try:
                    status = http.get(f"{cluster.url}/en/", timeout=60).status_code
                except requests.RequestException:
                    status = 0
                with lock:
                    statuses.append(status)

    workers = [threading.Thread(target=load) for _ in range(threads)]
    for worker in workers:
        worker.start()
    try:
        wait_for(lambda: len(statuses) >= 20, message="load before the stop")
        cluster.control("stop-service", "app1")
        stopped_at = len(statuses)
        wait_for(
            lambda: len(statuses) >= stopped_at + 40,
            timeout=120,
            message="load after the stop",
        )
    finally:
        stop.set()
        for worker in workers:
            worker.join()
        cluster.control("start-service", "app1")
    failed = [status for status in statuses if status != 200]
    # At most the requests in flight when it stopped.
    assert len(failed) <= threads, failed
    assert statuses[-20:] == [200] * 20


def share_total(cluster, kind, object_id):
    return int(
        cluster.psql(
            "SELECT COALESCE(SUM(count), 0) FROM sharing_sharecount "  # noqa: S608
            f"WHERE object_kind = '{kind}' AND object_id = {int(object_id)} "
            "AND event = 'share'"
        )
    )


def test_tasks_wait_for_a_stopped_worker(cluster):
    """Share clicks are flushed to the database by a task scheduled a few
    seconds after the first: with the workers stopped it waits in Redis, and
    runs when a worker is back."""
    page_id = int(
        cluster.psql("SELECT root_page_id FROM wagtailcore_site WHERE is_default_site")
    )
    before = share_total(cluster, "page", page_id)
    run = secrets.token_hex(4)  # a visitor's repeated clicks count once
    cluster.control("stop-service", "worker1")
    cluster.control("stop-service", "worker2")
    try:
        for n in range(20):
            status = send(
                cluster.url,
                "GET",
                f"/en/share/weibo/page/{page_id}/",
                agent=f"{BROWSER} queued-{run}-{n}",
            )
            assert status == 302
        time.sleep(8)  # past SHARING_COUNTER_FLUSH_INTERVAL (5 s): nobody ran it
        assert share_total(cluster, "page", page_id) == before
    finally:
        cluster.control("start-service", "worker1")
        cluster.control("start-service", "worker2")
    wait_for(
        lambda: share_total(cluster, "page", page_id) == before + 20,
        timeout=90,
        message="the flush task after the workers came back",
    )


def test_pages_render_while_redis_is_down(cluster):
    """Pages render, signed-in visitors stay signed in, and share clicks
    acknowledged before and during the outage all reach the database."""
    member = sign_in(
        Visitor(cluster.url), "visitor@cloudmist.example", "cloudmist-visitor"
    )
    page_id = int(
        cluster.psql("SELECT root_page_id FROM wagtailcore_site WHERE is_default_site")
    )
    before = share_total(cluster, "page", page_id)
    run = secrets.token_hex(4)  # a visitor's repeated clicks count once

    def clicks(label):
        for n in range(10):
            path = f"/en/share/qq/page/{page_id}/"
            assert (
                send(cluster.url, "GET", path, agent=f"{BROWSER} {label}-{run}-{n}")
                == 302
            )

    clicks("before")  # counted in Redis, the flush scheduled there
    cluster.control("stop-service", "redis")
    try:
        clicks("during")  # counted in the database
        with requests.Session() as http:
            http.headers["Cookie"] = "sessionid=not-a-session"
            for path in ("/en/", "/en/stories/", "/zh-hans/"):
                response = http.get(f"{cluster.url}{path}", timeout=60)
                assert response.status_code == 200, (path, response.status_code)
        # Signed-in pages too: the session is also in the database.
        response = member.get("/en/")
        assert response.status_code == 200
        assert "/accounts/logout/" in response.text
    finally:
        cluster.control("start-service", "redis")
    assert requests.get(f"{cluster.url}/en/", timeout=60).status_code == 200
    wait_for(
        lambda: share_total(cluster, "page", page_id) == before + 20,
        timeout=180,
        message="the clicks of before and during the outage in the database",
    )


def report_database(visitor, query=""):
    response = visitor.get(f"/admin/insights/{query}")
    assert response.status_code == 200, response.status_code
    return response.headers.get("X-Read-Database")


def test_reports_read_from_the_replica_and_fall_back_to_the_primary(cluster):
    editor = Visitor(cluster.url)
    page, form = editor.form("/admin/login/", "login")
    response = editor.submit(page, form, username="editor", password="cloudmist-editor")
    assert response.status_code == 200 and "sessionid" in editor.http.cookies

    wait_for(
        lambda: report_database(editor) == "replica", message="reports on the replica"
    )
    assert report_database(editor, "?export=csv") == "replica"

    # The replica stopping while reports are being read (some of them in
    # flight on it), then down: every report answered, from the primary.
    statuses = []
    stop = threading.Event()

    def read_reports():
        reader = Visitor(cluster.url)
        reader.http.cookies.update(editor.http.cookies)
        while not stop.is_set():
            response = reader.get("/admin/insights/")
            statuses.append(
                (response.status_code, response.headers.get("X-Read-Database"))
            )

    readers = [threading.Thread(target=read_reports) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        wait_for(lambda: len(statuses) >= 3, message="reports before the stop")
        cluster.control("stop-service", "replica")
        stopped_at = len(statuses)
        wait_for(
            lambda: len(statuses) >= stopped_at + 6,
            timeout=120,
            message="reports after the stop",
        )
        wait_for(
            lambda: report_database(editor) == "default", message="fallback (down)"
        )
    finally:
        stop.set()
        for reader in readers:
            reader.join()
        cluster.control("start-service", "replica")
    assert [status for status, _alias in statuses if status != 200] == []
    assert statuses[-1] == (200, "default")
    wait_for(lambda: report_database(editor) == "replica", message="the replica back")

    # The replica lagging (replay paused while the primary writes).
    cluster.psql("SELECT pg_wal_replay_pause()", replica=True)
    try:
        cluster.psql(
            "CREATE TABLE IF NOT EXISTS cluster_lag (at timestamptz); "
            "INSERT INTO cluster_lag VALUES (now())"
        )
        wait_for(lambda: report_database(editor) == "default", message="fallback (lag)")
    finally:
        cluster.psql("SELECT pg_wal_replay_resume()", replica=True)
        cluster.psql("DROP TABLE IF EXISTS cluster_lag")
    wait_for(
        lambda: report_database(editor) == "replica", message="the replica caught up"
    )
