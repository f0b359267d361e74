"""Nobody is ever over capacity, also under concurrency: 100 members register
at once (threads, each with its own database connection) for 20 places;
exactly 20 are registered and 80 waitlisted. Then 10 of the registered cancel
at once: 10 of the waitlist are promoted, in the waitlist's order.

Transactional, so it runs in a process of its own in CI, like
tests/security/test_concurrent_writers.py (a flush empties the database at
the end; Wagtail's roots are made again for the next test); skipped on
SQLite, which serialises writers anyway, before the transactional database
is set up: `make test-postgres PYTEST_WORKERS=0
PYTEST_ARGS="tests/community/events/test_concurrency.py"`.
"""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from community.events import services
from community.events.models import EventIndexPage, EventPage, Registration
from tests.factories import MemberFactory
from tests.security.test_concurrent_writers import wagtail_roots

MEMBERS = 100
PLACES = 20
#: Threads at once: each holds a connection (PostgreSQL allows 100 in all).
WORKERS = 40


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is tested on PostgreSQL (CI's PostgreSQL pass)")


@pytest.fixture
def roots_after(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        wagtail_roots()


def in_thread(function, barrier):
    def run(*args):
        try:
            barrier.wait(timeout=60)
            return function(*args)
        finally:
            connections.close_all()

    return run


def event_for_members(index_slug, slug, title):
    """An event in two days with PLACES places for members, in an event index
    of its own under the Wagtail root's home."""
    index = EventIndexPage(title="Events", slug=index_slug)
    wagtail_roots().add_child(instance=index)
    start = timezone.now() + datetime.timedelta(days=2)
    event = EventPage(
        title=title,
        slug=slug,
        description="<p>Popular.</p>",
        start_at=start,
        end_at=start + datetime.timedelta(hours=2),
        venue_name="Tea house",
        capacity=PLACES,
        who_may_register="members",
    )
    index.add_child(instance=event)
    return event


def test_parallel_registrations_never_overbook(
    postgres_only, roots_after, transactional_db
):
    event = event_for_members("events-concurrency", "crowded", "Crowded tasting")
    members = [MemberFactory() for _ in range(MEMBERS)]

    barrier = threading.Barrier(WORKERS)

    def register(member):
        return services.register(event, member).status

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(in_thread(register, barrier), members[:WORKERS]))
        statuses += list(
            pool.map(in_thread(register, threading.Barrier(1)), members[WORKERS:])
        )
    assert statuses.count("registered") == PLACES
    assert statuses.count("waitlisted") == MEMBERS - PLACES
    rows = Registration.objects.filter(event=event)
    assert rows.filter(status="registered").count() == PLACES
    assert rows.filter(status="waitlisted").count() == MEMBERS - PLACES

    first_waiting = list(
        rows.filter(status="waitlisted")
        .order_by("queued_at", "pk")
        .values_list("user_id", flat=True)[:10]
    )
    leaving = list(rows.filter(status="registered").values_list("user", flat=True)[:10])
    cancel_barrier = threading.Barrier(len(leaving))

    def cancel(user_id):
        services.cancel(event, members[0].__class__.objects.get(pk=user_id))

    with ThreadPoolExecutor(max_workers=len(leaving)) as pool:
        list(pool.map(in_thread(cancel, cancel_barrier), leaving))
    assert rows.filter(status="registered").count() == PLACES
    promoted = set(
        rows.filter(status="registered", user_id__in=first_waiting).values_list(
            "user_id", flat=True
        )
    )
    assert promoted == set(first_waiting)
    assert rows.filter(status="waitlisted").count() == MEMBERS - PLACES - 10


def test_raised_capacity_while_members_register(
    postgres_only, roots_after, transactional_db
):
    """An editor raises 20 places to 30 while 20 more members register: the
    first 10 of the waitlist get the new places, nobody jumps the queue, and
    there are never more than 30."""
    event = event_for_members("events-raise", "popular", "Popular tasting")
    for member in [MemberFactory() for _ in range(2 * PLACES)]:
        services.register(event, member)
    rows = Registration.objects.filter(event=event)
    first_waiting = list(
        rows.filter(status="waitlisted")
        .order_by("queued_at", "pk")
        .values_list("user_id", flat=True)[:10]
    )
    newcomers = [MemberFactory() for _ in range(PLACES)]
    barrier = threading.Barrier(len(newcomers) + 1)

    def act(member):
        if member is None:
            page = EventPage.objects.get(pk=event.pk)
            page.capacity = PLACES + 10
            page.save_revision().publish()
            return "published"
        return services.register(event, member).status

    with ThreadPoolExecutor(max_workers=len(newcomers) + 1) as pool:
        statuses = list(pool.map(in_thread(act, barrier), [None, *newcomers]))
    assert statuses.count("waitlisted") == len(newcomers)
    assert rows.filter(status="registered").count() == PLACES + 10
    assert set(
        rows.filter(status="registered", user_id__in=first_waiting).values_list(
            "user_id", flat=True
        )
    ) == set(first_waiting)
    assert not rows.filter(status="registered", user__in=newcomers).exists()
