"""Campaigns: states by date, entering, voting and its rules, the gallery,
the ranking, winners, the suspicious-vote report and voiding, the admin
report. Campaigns live under the default site's root (the test app's site,
not the demo)."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from community.campaigns import services
from community.campaigns.models import CampaignPage, Entry, Vote
from community.campaigns.privacy import CampaignsData
from community.models import Profile
from community.privacy import export_user_data
from sharing.models import ShareCount
from tests.factories import MemberFactory

from .campaign_helpers import DAY, HOUR, make_campaign, make_entry, make_index, voter

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}
JSON = {"HTTP_ACCEPT": "application/json", **BROWSER}


@pytest.fixture
def index(db):
    return make_index()


@pytest.fixture
def campaign(index):
    return make_campaign(index)


def unverified():
    """An old enough member without a confirmed e-mail address."""
    member = voter()
    EmailAddress.objects.filter(user=member).delete()
    return member


def vote_url(campaign, entry):
    return f"{campaign.url}{entry.post.pk}/vote/"


# States by date


def test_states_follow_the_dates(index):
    campaign = make_campaign(index, opened=DAY, closes=3 * DAY)
    now = campaign.starts_at - DAY
    campaign.voting_ends_at = now + 5 * DAY
    assert campaign.state(now) == "upcoming"
    assert campaign.state(now + DAY) == "open"
    assert campaign.state(now + 2 * DAY) == "open"
    assert campaign.state(now + 3 * DAY) == "voting"
    assert campaign.state(now + 5 * DAY - HOUR) == "voting"
    assert campaign.state(now + 5 * DAY) == "closed"
    campaign.winners_announced_at = now + 6 * DAY
    assert campaign.state(now + 6 * DAY) == "winners"
    # Entries and votes follow their own windows.
    assert not campaign.entries_open(now + 3 * DAY)
    assert campaign.voting_open(now + 3 * DAY)
    assert not campaign.voting_open(now + 5 * DAY)


def test_a_survey_only_campaign_closes_with_its_dates(index):
    campaign = make_campaign(index, allow_photos=False, allow_stories=False)
    later = campaign.ends_at + HOUR
    assert not campaign.is_contest
    assert campaign.state(later) == "closed"


def test_the_countdown_names_the_next_moment(index):
    campaign = make_campaign(index, opened=DAY, closes=2 * DAY)
    label, when = campaign.next_moment()
    assert str(label) == "Opens"
    assert when == campaign.starts_at


def test_bad_dates_are_refused_by_the_form_validation(index):
    campaign = make_campaign(index)
    campaign.ends_at = campaign.starts_at - HOUR
    with pytest.raises(Exception, match="close after it opens"):
        campaign.full_clean()


def test_the_page_shows_the_state_and_dates_without_javascript(client, campaign):
    response = client.get(campaign.url, **BROWSER)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open for entries" in html
    assert 'data-countdown="' in html
    assert "<time datetime=" in html
    assert "private" in response["Cache-Control"]


def test_the_index_lists_running_and_past_campaigns(client, index):
    running = make_campaign(index, title="Running one")
    past = make_campaign(index, title="Past one", opened=-5 * DAY, closes=-3 * DAY)
    response = client.get(index.url, **BROWSER)
    html = response.content.decode()
    assert response.status_code == 200
    running_at = html.index("Running campaigns")
    past_at = html.index("Past campaigns")
    assert running_at < html.index(running.title) < past_at < html.index(past.title)


# Entering


def test_a_verified_member_enters_and_the_post_becomes_an_entry(client, campaign):
    member = voter()
    client.force_login(member)
    response = client.post(
        f"{campaign.url}new/",
        {"kind": "story", "title": "Morning mist", "body": "Tea at dawn."},
        **BROWSER,
    )
    assert response.status_code == 302
    entry = Entry.objects.get(campaign=campaign, post__title="Morning mist")
    assert entry.post.author == member
    assert entry.vote_count == 0


def test_an_unverified_member_cannot_enter(client, campaign):
    member = unverified()
    client.force_login(member)
    response = client.post(
        f"{campaign.url}new/", {"kind": "story", "title": "Nope"}, **BROWSER
    )
    assert response.status_code == 403
    assert "Confirm your e-mail address" in response.content.decode()
    assert not Entry.objects.filter(campaign=campaign).exists()


def test_entries_after_the_end_are_refused(client, index):
    campaign = make_campaign(index, opened=-3 * DAY, closes=-DAY)
    client.force_login(voter())
    response = client.post(
        f"{campaign.url}new/", {"kind": "story", "title": "Late"}, **BROWSER
    )
    assert response.status_code == 403
    assert "Entries closed on" in response.content.decode()
    assert not Entry.objects.filter(campaign=campaign).exists()


def test_entries_before_the_start_are_refused(client, index):
    campaign = make_campaign(index, opened=DAY, closes=2 * DAY)
    client.force_login(voter())
    response = client.get(f"{campaign.url}new/", **BROWSER)
    assert response.status_code == 403
    assert "Entries open on" in response.content.decode()


def test_a_held_entry_is_not_in_the_gallery_until_approved(client, index):
    campaign = make_campaign(index, moderation="pre")
    held = make_entry(campaign, state="pending", title="Held entry")
    shown = make_entry(campaign, title="Shown entry")
    html = client.get(campaign.url, **BROWSER).content.decode()
    assert shown.post.title in html
    assert held.post.title not in html


# Voting


def test_a_member_votes_once_per_entry(client, campaign):
    entry = make_entry(campaign)
    member = voter()
    client.force_login(member)
    first = client.post(vote_url(campaign, entry), **JSON)
    assert first.status_code == 200
    assert first.json() == {"ok": True, "count": 1}
    second = client.post(vote_url(campaign, entry), **JSON)
    assert second.status_code == 409
    assert "already voted" in second.json()["message"]
    entry.refresh_from_db()
    assert entry.vote_count == 1
    assert Vote.objects.filter(entry=entry).count() == 1


def test_votes_per_day_are_limited(client, campaign):
    entries = [make_entry(campaign) for _ in range(4)]
    client.force_login(voter())
    codes = [client.post(vote_url(campaign, e), **JSON).status_code for e in entries]
    assert codes == [200, 200, 200, 429]
    assert Vote.objects.filter(campaign=campaign).count() == 3
    assert entries[3].__class__.objects.get(pk=entries[3].pk).vote_count == 0


def test_votes_outside_the_window_are_refused(client, index):
    now = timezone.now()
    campaign = make_campaign(
        index, opened=-3 * DAY, closes=-2 * DAY, voting_ends_at=now - DAY
    )
    entry = make_entry(campaign)
    client.force_login(voter())
    response = client.post(vote_url(campaign, entry), **JSON)
    assert response.status_code == 403
    assert "Voting closed on" in response.json()["message"]
    assert not Vote.objects.filter(entry=entry).exists()


def test_voting_before_it_opens_is_refused(index):
    now = timezone.now()
    campaign = make_campaign(index, voting_starts_at=now + HOUR)
    assert "Voting opens on" in services.vote_denied(campaign, voter(), now=now)


def test_a_suspended_member_cannot_vote(client, campaign):
    entry = make_entry(campaign)
    member = voter()
    profile = Profile.for_user(member)
    profile.suspend("spam", until=timezone.now() + DAY)
    client.force_login(member)
    response = client.post(vote_url(campaign, entry), **JSON)
    assert response.status_code == 403
    assert "suspended" in response.json()["message"]
    assert entry.votes.count() == 0


def test_new_accounts_and_unverified_members_cannot_vote(client, campaign, settings):
    entry = make_entry(campaign)
    newcomer = MemberFactory()  # joined just now
    client.force_login(newcomer)
    response = client.post(vote_url(campaign, entry), **JSON)
    assert response.status_code == 403
    assert "hours after signing up" in response.json()["message"]
    client.force_login(unverified())
    response = client.post(vote_url(campaign, entry), **JSON)
    assert "Confirm your e-mail address" in response.json()["message"]
    settings.COMMUNITY_CAMPAIGNS_VOTER_MIN_AGE_HOURS = 0
    client.force_login(newcomer)
    assert client.post(vote_url(campaign, entry), **JSON).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, campaign):
    entry = make_entry(campaign)
    response = client.post(vote_url(campaign, entry), **BROWSER)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert client.post(vote_url(campaign, entry), **JSON).status_code == 401


def test_a_vote_for_a_deleted_or_hidden_entry_is_refused(client, campaign):
    entry = make_entry(campaign)
    hidden = make_entry(campaign, state="removed")
    post_pk = entry.post.pk
    url = vote_url(campaign, entry)
    entry.post.delete()
    client.force_login(voter())
    response = client.post(url, **JSON)
    assert response.status_code == 404
    assert "not in the contest" in response.json()["message"]
    assert client.post(vote_url(campaign, hidden), **JSON).status_code == 404
    assert not Vote.objects.filter(campaign=campaign).exists()
    assert post_pk


def test_an_entry_of_another_campaign_is_not_voted_through_this_one(client, index):
    one, other = make_campaign(index), make_campaign(index)
    entry = make_entry(other)
    client.force_login(voter())
    response = client.post(f"{one.url}{entry.post.pk}/vote/", **JSON)
    assert response.status_code == 404


def test_the_vote_endpoint_is_get_proof(client, campaign):
    entry = make_entry(campaign)
    client.force_login(voter())
    assert client.get(vote_url(campaign, entry), **BROWSER).status_code == 405
    assert (
        client.post(f"{campaign.url}99999999999999999999/vote/", **JSON).status_code
        == 404
    )


def test_the_vote_endpoint_does_not_grow_with_votes(client, campaign):
    entry = make_entry(campaign)
    for _ in range(3):
        Vote.objects.create(campaign=campaign, entry=entry, user=voter())

    def queries_of_one_vote():
        member = voter()
        client.force_login(member)
        with CaptureQueriesContext(connection) as captured:
            assert client.post(vote_url(campaign, entry), **JSON).status_code == 200
        return len(captured)

    queries_of_one_vote()  # warms what a first request caches
    few = queries_of_one_vote()
    for _ in range(40):
        Vote.objects.create(campaign=campaign, entry=entry, user=voter())
    assert queries_of_one_vote() == few


def test_votes_are_rate_limited(client, campaign, settings):
    settings.COMMUNITY_CAMPAIGNS_RATE_LIMITS = {"campaign_vote": "1/m/user"}
    first, second = make_entry(campaign), make_entry(campaign)
    client.force_login(voter())
    assert client.post(vote_url(campaign, first), **JSON).status_code == 200
    response = client.post(vote_url(campaign, second), **JSON)
    assert response.status_code == 429
    assert "too fast" in response.json()["message"]


def test_the_entry_page_offers_the_vote(client, campaign):
    entry = make_entry(campaign, title="Cloud tea")
    client.force_login(voter())
    html = client.get(f"{campaign.url}{entry.post.pk}/", **BROWSER).content.decode()
    assert "Vote for this entry" in html
    response = client.post(vote_url(campaign, entry), {"next": "entry"}, **BROWSER)
    assert response["Location"].endswith(f"{campaign.url}{entry.post.pk}/")
    html = client.get(f"{campaign.url}{entry.post.pk}/", **BROWSER).content.decode()
    assert "You voted for this entry." in html


# The gallery


def test_the_gallery_sorts(client, campaign):
    low = make_entry(campaign, title="Low")
    high = make_entry(campaign, title="High")
    Entry.objects.filter(pk=high.pk).update(vote_count=10)
    Entry.objects.filter(pk=low.pk).update(vote_count=2)
    ordered = list(services.gallery(campaign, sort="votes"))
    assert [e.pk for e in ordered] == [high.pk, low.pk]
    latest = list(services.gallery(campaign, sort="latest"))
    assert [e.pk for e in latest] == [high.pk, low.pk][::1] if high.pk > low.pk else []
    # Random order: stable for one seed, every entry once.
    one = [e.pk for e in services.gallery(campaign, sort="random", seed=7)]
    assert one == [e.pk for e in services.gallery(campaign, sort="random", seed=7)]
    assert sorted(one) == sorted([low.pk, high.pk])
    for sort in ("votes", "random", "latest", "bogus\x00"):
        assert client.get(campaign.url, {"sort": sort}, **BROWSER).status_code == 200
    assert (
        client.get(campaign.url, {"page": "99999999999999"}, **BROWSER).status_code
        == 200
    )


# Ranking, winners


def test_the_ranking_combines_votes_and_jury(index):
    campaign = make_campaign(index, jury_weight=50)
    popular = make_entry(campaign)
    favourite = make_entry(campaign)
    Entry.objects.filter(pk=popular.pk).update(vote_count=10, jury_score=20)
    Entry.objects.filter(pk=favourite.pk).update(vote_count=8, jury_score=100)
    ranked = services.ranking(campaign)
    assert [r.entry.pk for r in ranked] == [favourite.pk, popular.pk]
    assert ranked[0].score == 90.0  # 0.5 × 8/10 + 0.5 × 1
    campaign.jury_weight = 0
    assert services.ranking(campaign)[0].entry.pk == popular.pk
    csv_text = services.ranking_csv(campaign)
    assert csv_text.splitlines()[0].startswith("rank,entry,title")


def test_winners_are_announced_and_emailed_once(
    index, django_capture_on_commit_callbacks
):
    campaign = make_campaign(index, opened=-3 * DAY, closes=-DAY)
    winner = make_entry(campaign, title="Best cup")
    Entry.objects.filter(pk=winner.pk).update(winner_rank=1, prize="A year of tea")
    with pytest.raises(services.Refused):
        services.announce_winners(make_campaign(index))
    with django_capture_on_commit_callbacks(execute=True):
        services.announce_winners(campaign)
    campaign.refresh_from_db()
    assert campaign.state() == "winners"
    sent = [m for m in mail.outbox if winner.post.author.email in m.to]
    assert len(sent) == 1
    assert "Best cup" in sent[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.announce_winners(campaign)
    assert len([m for m in mail.outbox if winner.post.author.email in m.to]) == 1


def test_the_page_and_ranking_show_the_winners(client, index):
    campaign = make_campaign(index, opened=-3 * DAY, closes=-DAY)
    winner = make_entry(campaign, title="Golden leaf")
    Entry.objects.filter(pk=winner.pk).update(winner_rank=1)
    CampaignPage.objects.filter(pk=campaign.pk).update(
        winners_announced_at=timezone.now()
    )
    html = client.get(campaign.url, **BROWSER).content.decode()
    assert "Winners announced" in html
    assert "Place 1" in html
    ranking = client.get(f"{campaign.url}ranking/", **BROWSER)
    assert ranking.status_code == 200
    assert "Golden leaf" in ranking.content.decode()


def test_the_ranking_page_waits_for_the_end_of_voting(client, campaign):
    assert client.get(f"{campaign.url}ranking/", **BROWSER).status_code == 404


# Fraud


def seed_burst(campaign, entry, *, count=6, network="203.0.113.0/24"):
    now = timezone.now()
    votes = []
    for n in range(count):
        member = voter(date_joined=now - HOUR)
        votes.append(
            Vote.objects.create(
                campaign=campaign,
                entry=entry,
                user=member,
                network=network,
                account_created_at=member.date_joined,
                created_at=now - datetime.timedelta(seconds=30 * n),
            )
        )
    Entry.objects.filter(pk=entry.pk).update(vote_count=count)
    return votes


def test_the_fraud_report_finds_a_seeded_burst(campaign):
    suspicious = make_entry(campaign)
    honest = make_entry(campaign)
    seed_burst(campaign, suspicious)
    old = timezone.now() - 30 * DAY
    for n in range(3):
        member = voter(date_joined=old)
        Vote.objects.create(
            campaign=campaign,
            entry=honest,
            user=member,
            network=f"198.51.{n}.0/24",
            account_created_at=old,
            created_at=timezone.now() - n * DAY,
        )
    report = services.fraud_report(campaign)
    kinds = {(s.kind, s.entry.pk) for s in report}
    assert kinds == {
        ("new", suspicious.pk),
        ("network", suspicious.pk),
        ("burst", suspicious.pk),
    }
    assert all(s.count == 6 for s in report)


def test_voiding_keeps_the_votes_and_takes_them_off_the_count(
    campaign, django_user_model
):
    entry = make_entry(campaign)
    votes = seed_burst(campaign, entry)
    editor = MemberFactory(is_staff=True, is_superuser=True)
    network = next(s for s in services.fraud_report(campaign) if s.kind == "network")
    assert services.void_suspicions(campaign, [network.id], editor=editor) == 6
    entry.refresh_from_db()
    assert entry.vote_count == 0
    kept = Vote.objects.filter(pk__in=[v.pk for v in votes])
    assert kept.count() == 6
    assert all(v.voided and v.voided_by == editor and v.void_reason for v in kept)
    # Voiding again changes nothing; voided votes leave the report.
    assert services.void_suspicions(campaign, [network.id], editor=editor) == 0
    assert services.fraud_report(campaign) == []


def test_the_admin_report_voids_and_exports(client, campaign):
    entry = make_entry(campaign)
    seed_burst(campaign, entry)
    editor = MemberFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    url = f"/admin/campaigns/{campaign.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Votes from one network: 203.0.113.0/24" in html
    ids = [s.id for s in services.fraud_report(campaign)]
    response = client.post(url, {"action": "void", "suspicion": ids})
    assert response.status_code == 302
    assert Vote.objects.filter(entry=entry, voided=True).count() == 6
    export = client.get(url, {"export": "ranking"})
    assert export["Content-Type"] == "text/csv"
    assert b"rank,entry" in export.content
    assert client.get("/admin/campaigns/").status_code == 200


def test_the_admin_report_needs_the_permission(client, campaign):
    client.force_login(MemberFactory(is_staff=True))
    assert client.get(f"/admin/campaigns/{campaign.pk}/").status_code in (302, 403)


# Privacy


def test_a_members_votes_are_exported_and_removed(campaign):
    entry = make_entry(campaign)
    member = voter()
    Vote.objects.create(campaign=campaign, entry=entry, user=member)
    Entry.objects.filter(pk=entry.pk).update(vote_count=1)
    data = export_user_data(member)
    assert data["campaigns"]["votes"][0]["entry"] == entry.pk
    CampaignsData().erase(member, "remove")
    entry.refresh_from_db()
    assert entry.vote_count == 0
    assert not Vote.objects.filter(entry=entry).exists()


def test_the_report_counts_shares_of_the_campaign_and_its_entries(campaign):
    entry = make_entry(campaign)
    site = Site.objects.get(is_default_site=True)
    today = timezone.localdate()
    for kind, pk, event, count in (
        ("page", campaign.pk, "share", 3),
        ("post", entry.post.pk, "share", 2),
        ("page", campaign.pk, "visit", 7),
    ):
        ShareCount.objects.create(
            day=today,
            site=site,
            event=event,
            platform="weibo",
            object_kind=kind,
            object_id=pk,
            count=count,
        )
    assert services.share_numbers(campaign) == [("Weibo", 5, 7)]
