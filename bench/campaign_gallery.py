"""A campaign's gallery with 10,000 entries and 1,000,000 votes (run by
hand, on PostgreSQL or SQLite):

    createdb -h 127.0.0.1 -U postgres bench_campaigns   # an empty database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_campaigns \\
        .venv/bin/python bench/campaign_gallery.py
    DATABASE_URL=sqlite:////tmp/bench_campaigns.sqlite3 \\
        .venv/bin/python bench/campaign_gallery.py

Makes a campaign under the default site's home, BENCH_ENTRIES (10,000)
published entries and BENCH_VOTES (1,000,000) votes from 1,000 members
(a varying number per entry, written with one INSERT … SELECT over
generate_series), with each entry's counter equal to its votes; then times
full GETs through Django's test client as a signed-in member: the gallery by
votes (first and a deep page), latest, random, and one vote (with its query
count, which does not grow with the votes). BENCH_REUSE=1 reuses a seeded
database. Prints a Markdown table for bench/RESULTS.md.
"""

import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import RUNS, measure, setup_django, timed  # noqa: E402

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_ENTRIES", "10000"))
VOTES = int(os.environ.get("BENCH_VOTES", "1000000"))
MEMBERS = 1000
BATCH = 5000


def build():
    from allauth.account.models import EmailAddress

    from community.campaigns.models import CampaignIndexPage, CampaignPage, Entry
    from community.posts.models import Post

    call_command("migrate", verbosity=0, interactive=False)
    User = get_user_model()
    campaign = CampaignPage.objects.filter(slug="bench-contest").first()
    if campaign is not None and os.environ.get("BENCH_REUSE"):
        return campaign, User.objects.get(username="bench-voter")
    if campaign is not None:
        sys.exit(
            "bench/campaign_gallery.py needs an empty database (or BENCH_REUSE=1)."
        )
    site = Site.objects.filter(is_default_site=True).first()
    home = site.root_page if site else Page.get_first_root_page()
    index = CampaignIndexPage(title="Campaigns", slug="bench-campaigns")
    home.add_child(instance=index)
    now = timezone.now()
    campaign = CampaignPage(
        title="Bench contest",
        slug="bench-contest",
        starts_at=now - timezone.timedelta(days=1),
        ends_at=now + timezone.timedelta(days=30),
        allow_photos=True,
        allow_stories=True,
        votes_per_day=1000,
    )
    index.add_child(instance=campaign)
    User.objects.bulk_create(
        [
            User(username=f"bench-{n}", email=f"bench-{n}@example.com")
            for n in range(MEMBERS)
        ]
    )
    voter = User.objects.create(
        username="bench-voter",
        email="bench-voter@example.com",
        date_joined=now - timezone.timedelta(days=3),
    )
    EmailAddress.objects.create(
        user=voter, email=voter.email, verified=True, primary=True
    )
    authors = list(User.objects.filter(username__startswith="bench-")[:50])
    made = 0
    while made < ENTRIES:
        rows = []
        for n in range(made, min(made + BATCH, ENTRIES)):
            when = now - timezone.timedelta(minutes=n)
            rows.append(
                Post(
                    board=campaign,
                    author=authors[n % len(authors)],
                    kind="story",
                    state="published",
                    title=f"Bench entry {n}",
                    body=f"Entry {n}.",
                    body_html=f"<p>Entry {n}.</p>",
                    created_at=when,
                    published_at=when,
                    language="en",
                )
            )
        posts = Post.objects.bulk_create(rows)
        Entry.objects.bulk_create([Entry(campaign=campaign, post=p) for p in posts])
        made += len(rows)
    per_entry = max(VOTES // ENTRIES, 1)
    if connection.vendor == "postgresql":
        seed_votes_postgresql(campaign, per_entry)
    else:
        seed_votes_python(campaign, per_entry)
    return campaign, voter


def seed_votes_postgresql(campaign, per_entry):
    with connection.cursor() as cursor:
        # Entry k gets between 0 and 2 × per_entry votes (per_entry on
        # average), each from a different member.
        cursor.execute(
            """
            INSERT INTO community_campaigns_vote
                (campaign_id, entry_id, user_id, network, account_created_at,
                 created_at, voided, void_reason)
            SELECT e.campaign_id, e.id, u.ids[g], '10.0.0.0/24', now(),
                   now() - (g || ' seconds')::interval, false, ''
            FROM community_campaigns_entry e
            CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids
                        FROM auth_user WHERE username LIKE 'bench-%%') u
            CROSS JOIN LATERAL generate_series(
                1, LEAST((e.id * 7919) %% (2 * %s + 1), %s)) g
            WHERE e.campaign_id = %s
            """,
            [per_entry, MEMBERS, campaign.pk],
        )
        cursor.execute(
            """
            UPDATE community_campaigns_entry e SET vote_count = v.n
            FROM (SELECT entry_id, count(*) n FROM community_campaigns_vote
                  GROUP BY entry_id) v
            WHERE v.entry_id = e.id
            """
        )
        cursor.execute("ANALYZE")


def seed_votes_python(campaign, per_entry):
    """The same votes as on PostgreSQL, made in Python and written with
    executemany in batches (SQLite has no generate_series)."""
    from community.campaigns.models import Entry

    members = list(
        get_user_model()
        .objects.filter(username__startswith="bench-")
        .exclude(username="bench-voter")
        .order_by("id")
        .values_list("id", flat=True)
    )
    now = timezone.now()
    sql = (
        "INSERT INTO community_campaigns_vote (campaign_id, entry_id, user_id, "
        "network, account_created_at, created_at, voided, void_reason) "
        "VALUES (%s, %s, %s, '10.0.0.0/24', %s, %s, %s, '')"
    )
    counts = {}
    rows = []
    entry_ids = list(
        Entry.objects.filter(campaign=campaign)
        .order_by("id")
        .values_list("id", flat=True)
    )
    # One transaction: SQLite's write-ahead log then holds each page once.
    with transaction.atomic(), connection.cursor() as cursor:
        for entry_id in entry_ids:
            n = min((entry_id * 7919) % (2 * per_entry + 1), len(members))
            counts[entry_id] = n
            for g in range(n):
                rows.append(
                    (
                        campaign.pk,
                        entry_id,
                        members[g],
                        now,
                        now - timezone.timedelta(seconds=g + 1),
                        False,
                    )
                )
            if len(rows) >= 50000:
                cursor.executemany(sql, rows)
                rows = []
        if rows:
            cursor.executemany(sql, rows)
        for entry_id, n in counts.items():
            Entry.objects.filter(pk=entry_id).update(vote_count=n)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def gallery_data(campaign, voter):
    """(p50, max, queries) of what the page asks the database for its
    gallery by votes (the 12 entries with their authors and pictures, the
    page count), without the rest of the page."""
    from community.campaigns import app_settings, services

    def run():
        request = RequestFactory().get(campaign.url, {"sort": "votes"})
        request.user = voter
        page = services.gallery_page(
            request,
            campaign,
            services.gallery(campaign, sort="votes"),
            app_settings.PER_PAGE,
        )
        entries = list(page.object_list)
        services.voted_ids(voter, entries)
        return page.paginator.num_pages

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    run()
    with connection.execute_wrapper(count):
        run()
    return (*timed(run), len(queries))


def main():
    from community.campaigns.models import Entry, Vote

    setup_test_environment()
    started = time.perf_counter()
    campaign, voter = build()
    seeded = time.perf_counter() - started
    votes = Vote.objects.filter(campaign=campaign).count()
    entries = Entry.objects.filter(campaign=campaign).count()
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 bench")
    client.force_login(voter)
    url = campaign.url
    rows = [
        (label, *measure(client, url + query))
        for label, query in [
            ("gallery, most voted", "?sort=votes"),
            ("gallery, most voted, page 400", "?sort=votes&page=400"),
            ("gallery, latest", "?sort=latest"),
            ("gallery, random", "?sort=random"),
        ]
    ]
    rows.append(("gallery data by votes, in process", *gallery_data(campaign, voter)))
    # One vote: the queries of the endpoint (the same with 0 or 1,000,000
    # votes; the tests assert it), timed once per entry voted.
    targets = list(
        Entry.objects.filter(campaign=campaign)
        .exclude(votes__user=voter)
        .values_list("post_id", flat=True)[: RUNS + 2]
    )
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    timings = []
    for n, post_id in enumerate(targets):
        start = time.perf_counter()
        if n == 1:
            with connection.execute_wrapper(count):
                response = client.post(
                    f"{url}{post_id}/vote/", HTTP_ACCEPT="application/json"
                )
        else:
            response = client.post(
                f"{url}{post_id}/vote/", HTTP_ACCEPT="application/json"
            )
        assert response.status_code == 200, response.content
        timings.append((time.perf_counter() - start) * 1000)
    timings = sorted(timings[1:])
    rows.append(("vote (POST)", timings[len(timings) // 2], timings[-1], len(queries)))
    print(
        f"\nCampaign gallery, {connection.vendor}, {entries:,} entries, "
        f"{votes:,} votes (seeded in {seeded:.0f} s), {RUNS} runs each, "
        f"{os.cpu_count()} CPUs {platform.machine()}, Python "
        f"{platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}:\n"
    )
    print("| request | p50 ms | max ms | queries |")
    print("|---|---:|---:|---:|")
    for label, median, worst, count_ in rows:
        print(f"| {label} | {median:.1f} | {worst:.1f} | {count_} |")


if __name__ == "__main__":
    main()
