"""Fifty members vote for one entry at the same moment, and one member sends
fifty votes at once, on PostgreSQL with a connection per thread: the counts
are exact. Run on its own (it commits; the live test database is shared by
its threads):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> \\
        .venv/bin/python -m pytest -p no:randomly \\
        tests/security/test_concurrent_votes.py
"""

import threading

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from community.campaigns import referrals, services
from community.campaigns.models import Entry, ReferralCode, ReferralSignup, Vote
from tests.community.campaigns.campaign_helpers import (
    make_campaign,
    make_entry,
    make_index,
    voter,
)
from tests.security.test_concurrent_writers import wagtail_roots


@pytest.fixture
def postgres_only():
    # Skipped before transactional_db is set up: its flush at the end empties
    # every table, the data other tests of this process share included.
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is tested on PostgreSQL (CI's PostgreSQL pass)")


@pytest.fixture
def wagtail_roots_after(django_db_blocker):
    """Wagtail's roots made again after the flush (see
    test_concurrent_writers)."""
    yield
    with django_db_blocker.unblock():
        wagtail_roots()


@pytest.fixture
def home(postgres_only, wagtail_roots_after, transactional_db):
    return wagtail_roots()


def run_in_threads(count, work):
    barrier = threading.Barrier(count)
    outcomes = []

    def target(n):
        try:
            barrier.wait()
            outcomes.append(work(n))
        except services.Refused as refusal:
            outcomes.append(refusal.status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def vote_request(user, n):
    request = RequestFactory().post("/", REMOTE_ADDR=f"10.99.{n // 250}.{n % 250 + 1}")
    request.user = user
    return request


def test_fifty_parallel_votes_count_exactly(home, settings):
    settings.COMMUNITY_CAMPAIGNS_RATE_LIMITS = {"campaign_vote": ""}
    campaign = make_campaign(make_index(home), votes_per_day=100)
    entry = make_entry(campaign)
    members = [voter() for _ in range(50)]
    outcomes = run_in_threads(
        50,
        lambda n: services.cast_vote(
            vote_request(members[n], n), campaign, entry.post.pk
        ),
    )
    assert len(outcomes) == 50
    assert Entry.objects.get(pk=entry.pk).vote_count == 50
    assert Vote.objects.filter(entry=entry).count() == 50

    # One member, fifty clicks on one entry: one vote.
    greedy = voter()
    outcomes = run_in_threads(
        50,
        lambda n: services.cast_vote(vote_request(greedy, n), campaign, entry.post.pk),
    )
    assert outcomes.count(409) == 49
    assert Entry.objects.get(pk=entry.pk).vote_count == 51

    # One member, fifty entries, three votes a day: exactly three.
    campaign.votes_per_day = 3
    campaign.save_revision().publish()
    campaign.refresh_from_db()
    entries = [make_entry(campaign) for _ in range(50)]
    thrifty = voter()
    run_in_threads(
        50,
        lambda n: services.cast_vote(
            vote_request(thrifty, n), campaign, entries[n].post.pk
        ),
    )
    assert Vote.objects.filter(user=thrifty).count() == 3
    assert (
        sum(
            Entry.objects.filter(pk__in=[e.pk for e in entries]).values_list(
                "vote_count", flat=True
            )
        )
        == 3
    )

    # With bonus votes for referrals (one per sign-up brought, at most two):
    # three a day plus two, exactly five.
    campaign.referral_bonus_signups = 1
    campaign.referral_bonus_max = 2
    campaign.save_revision().publish()
    campaign.refresh_from_db()
    inviter = voter()
    code = ReferralCode.objects.get(code=referrals.code_for(inviter))
    for _ in range(3):
        ReferralSignup.objects.create(code=code, user=voter(), path="/")
    run_in_threads(
        50,
        lambda n: services.cast_vote(
            vote_request(inviter, n), campaign, entries[n].post.pk
        ),
    )
    assert Vote.objects.filter(user=inviter).count() == 5
