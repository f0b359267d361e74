"""Contests as plain functions: who may enter and vote, casting and voiding
votes, the gallery, the ranking, the suspicious-vote report and the winners.

The vote endpoint's work does not grow with the votes: it locks the member's
row (so their daily allowance holds under concurrent clicks), reads the entry,
counts the member's votes of the day by index, inserts the vote (the unique
constraint refuses a second one) and moves the entry's counter with an
atomic `F()` update, all in one transaction."""

import csv
import datetime
import io
import ipaddress
import zlib
from collections import deque
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from community import ratelimit
from community.adapter import get_adapter
from community.campaigns import app_settings
from community.campaigns.models import (
    CampaignPage,
    Entry,
    ReferralSignup,
    SurveyResponse,
    Vote,
)
from community.campaigns.notifications import notify_winners
from community.formats import human_datetime
from community.posts.models import Post
from sharing.models import ShareCount
from sharing.registry import registry as platform_registry

SORTS = {
    "latest": ("-id",),
    "votes": ("-vote_count", "-id"),
    "random": ("shuffle", "-id"),
}
SORT_LABELS = {
    "latest": pgettext_lazy("sort order", "Latest"),
    "votes": gettext_lazy("Most voted"),
    "random": gettext_lazy("Random"),
}
DEFAULT_SORT = "latest"


class Refused(Exception):
    """An action refused, with the message the member reads and the HTTP
    status of the answer."""

    def __init__(self, message, status=403):
        super().__init__(message)
        self.message = message
        self.status = status


def clean_sort(value):
    return value if value in SORTS else DEFAULT_SORT


# Who may take part


def entry_denied(campaign, user, *, request=None, now=None):
    """None when `user` may enter the contest now; else why not."""
    now = now or timezone.now()
    if not campaign.is_contest:
        return _("This campaign has no contest.")
    if now < campaign.starts_at:
        return _("Entries open on %(date)s.") % {
            "date": human_datetime(campaign.starts_at)
        }
    if now >= campaign.ends_at:
        return _("Entries closed on %(date)s.") % {
            "date": human_datetime(campaign.ends_at)
        }
    denied = get_adapter(request).participation_denied(
        user,
        require_verified_email=campaign.who_may_post == CampaignPage.Posters.VERIFIED,
    )
    return denied or campaign.region_denied(user)


def vote_denied(campaign, user, *, request=None, now=None):
    """None when `user` may vote in the contest now; else why not."""
    now = now or timezone.now()
    if not campaign.is_contest:
        return _("This campaign has no contest.")
    if user is None or not user.is_authenticated:
        return _("Sign in to vote.")
    if now < campaign.voting_start:
        return _("Voting opens on %(date)s.") % {
            "date": human_datetime(campaign.voting_start)
        }
    if now >= campaign.voting_end:
        return _("Voting closed on %(date)s.") % {
            "date": human_datetime(campaign.voting_end)
        }
    denied = get_adapter(request).participation_denied(
        user, require_verified_email=app_settings.VOTER_VERIFIED_EMAIL
    ) or campaign.region_denied(user)
    if denied:
        return denied
    hours = app_settings.VOTER_MIN_AGE_HOURS
    allowed_from = user.date_joined + datetime.timedelta(hours=hours)
    if hours and now < allowed_from:
        return _(
            "New accounts may vote %(hours)s hours after signing up: from %(date)s."
        ) % {
            "hours": hours,
            "date": human_datetime(allowed_from),
        }
    return None


# Votes


def network_of(address):
    """The /24 (IPv4) or /48 (IPv6) network of an address, or ""."""
    try:
        ip = ipaddress.ip_address(str(address).strip())
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def day_start(now):
    """Midnight of `now`'s day in the site's time zone."""
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def bonus_votes(campaign, user, *, now=None):
    """The member's extra votes a day under the campaign's referral rule: one
    per `referral_bonus_signups` new members who signed up through their
    personal link since the campaign opened (sign-ups until `now`), at most
    `referral_bonus_max`. One indexed count; 0 without the rule."""
    per = campaign.referral_bonus_signups
    if not per or not campaign.referral_bonus_max:
        return 0
    now = now or timezone.now()
    signups = ReferralSignup.objects.filter(
        code__user=user, created_at__gte=campaign.starts_at, created_at__lte=now
    ).count()
    return min(signups // per, campaign.referral_bonus_max)


def votes_allowed(campaign, user, *, now=None):
    """How many votes the member may cast today: the campaign's votes per day
    plus their bonus votes."""
    return campaign.votes_per_day + bonus_votes(campaign, user, now=now)


def cast_vote(request, campaign, post_pk, *, now=None):
    """Record the member's vote for the entry of post `post_pk` (the entry's
    URL names its post) in `campaign`; returns
    the entry's new vote count. Raises Refused (nothing written) when they
    may not vote, the entry is not (or no longer) in the contest, they have
    voted for it already or used up the day's votes."""
    now = now or timezone.now()
    user = request.user
    denied = vote_denied(campaign, user, request=request, now=now)
    if denied:
        raise Refused(denied, 401 if not user.is_authenticated else 403)
    if not ratelimit.consume(request, "campaign_vote", app_settings.RATE_LIMITS):
        raise Refused(_("You are voting too fast. Wait a while, then try again."), 429)
    with transaction.atomic():
        # One member's votes one after the other: the day's allowance is
        # counted and used in the same transaction.
        get_user_model().objects.select_for_update().filter(pk=user.pk).values_list(
            "pk", flat=True
        ).first()
        entry_id = (
            Entry.objects.filter(
                post_id=post_pk,
                campaign=campaign,
                post__state=Post.State.PUBLISHED,
                post__processing_pictures=False,
            )
            .values_list("pk", flat=True)
            .first()
        )
        if entry_id is None:
            raise Refused(_("This entry is not in the contest (any more)."), 404)
        used = Vote.objects.filter(
            campaign=campaign, user=user, created_at__gte=day_start(now)
        ).count()
        allowed = votes_allowed(campaign, user, now=now)
        if used >= allowed:
            raise Refused(
                _("You have used your votes of today (%(count)s). Come back tomorrow.")
                % {"count": allowed},
                429,
            )
        try:
            with transaction.atomic():
                Vote.objects.create(
                    campaign=campaign,
                    entry_id=entry_id,
                    user=user,
                    network=network_of(ratelimit.client_ip(request)),
                    account_created_at=user.date_joined,
                    created_at=now,
                )
        except IntegrityError:
            raise Refused(_("You have already voted for this entry."), 409) from None
        Entry.objects.filter(pk=entry_id).update(vote_count=F("vote_count") + 1)
    return Entry.objects.values_list("vote_count", flat=True).get(pk=entry_id)


def voted_ids(user, entries):
    """The ids of `entries` the member voted for (one query)."""
    if user is None or not user.is_authenticated or not entries:
        return set()
    return set(
        Vote.objects.filter(user=user, entry__in=[e.pk for e in entries]).values_list(
            "entry_id", flat=True
        )
    )


def void_votes(votes, *, editor, reason):
    """Void `votes` (a queryset): flagged, kept for the audit, taken off their
    entries' counts. Returns how many were voided."""
    with transaction.atomic():
        rows = list(
            votes.select_for_update().filter(voided=False).values_list("pk", "entry_id")
        )
        per_entry = {}
        for _pk, entry_id in rows:
            per_entry[entry_id] = per_entry.get(entry_id, 0) + 1
        Vote.objects.filter(pk__in=[pk for pk, _e in rows]).update(
            voided=True,
            voided_at=timezone.now(),
            voided_by=editor,
            void_reason=reason[:200],
        )
        for entry_id, count in per_entry.items():
            Entry.objects.filter(pk=entry_id).update(
                vote_count=models.Case(
                    models.When(vote_count__gte=count, then=F("vote_count") - count),
                    default=0,
                )
            )
    return len(rows)


# The gallery


def shuffle_seed(request):
    """A number stable for one visitor: their member id, else their address
    (nothing stored)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        key = f"user:{user.pk}"
    else:
        key = f"ip:{ratelimit.client_ip(request)}"
    return zlib.crc32(key.encode()) % 9973 + 1


class GalleryPaginator(Paginator):
    """Counts the campaign's visible posts on their board index instead of
    joining every entry to its post: the count is the page's costliest
    query otherwise."""

    def __init__(self, object_list, per_page, *, campaign):
        super().__init__(object_list, per_page)
        self.campaign = campaign

    @cached_property
    def count(self):
        return Post.objects.filter(
            board_id=self.campaign.pk,
            state=Post.State.PUBLISHED,
            processing_pictures=False,
        ).count()


def gallery_page(request, campaign, queryset, per_page):
    paginator = GalleryPaginator(queryset, per_page, campaign=campaign)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(max(paginator.num_pages, 1))


def gallery(campaign, *, sort=DEFAULT_SORT, seed=1):
    """The campaign's published entries in `sort` order, with their posts,
    authors and pictures."""
    entries = (
        Entry.objects.filter(
            campaign=campaign,
            post__state=Post.State.PUBLISHED,
            post__processing_pictures=False,
        )
        .select_related("post__author__community_profile")
        .prefetch_related("post__images")
    )
    if sort == "random":
        entries = entries.annotate(shuffle=(F("id") * 7919 + seed) % 10007)
    return entries.order_by(*SORTS[sort])


# Ranking and winners


@dataclass
class Ranked:
    entry: Entry
    rank: int = 0
    score: float = 0.0
    extra: dict = field(default_factory=dict)


def ranking(campaign):
    """[Ranked] of the published entries: the public vote (as a share of the
    most voted entry's) and the jury's score (out of 100) combined by the
    campaign's jury weight; ties by votes, then the earlier entry."""
    entries = list(
        Entry.objects.filter(campaign=campaign, post__state=Post.State.PUBLISHED)
        .select_related("post__author")
        .order_by("-vote_count", "id")
    )
    most = max((e.vote_count for e in entries), default=0) or 1
    weight = campaign.jury_weight / 100
    ranked = []
    for entry in entries:
        public = entry.vote_count / most
        jury = (entry.jury_score or 0) / 100
        ranked.append(
            Ranked(entry, score=round(100 * ((1 - weight) * public + weight * jury), 2))
        )
    ranked.sort(key=lambda r: (-r.score, -r.entry.vote_count, r.entry.pk))
    for number, item in enumerate(ranked, start=1):
        item.rank = number
    return ranked


def ranking_csv(campaign):
    """The final ranking as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "rank",
            "entry",
            "title",
            "author",
            "votes",
            "jury_score",
            "score",
            "place",
            "prize",
        ]
    )
    for item in ranking(campaign):
        entry = item.entry
        writer.writerow(
            [
                item.rank,
                entry.pk,
                _csv_safe(entry.post.title),
                _csv_safe(entry.post.author_name()),
                entry.vote_count,
                "" if entry.jury_score is None else entry.jury_score,
                item.score,
                entry.winner_rank or "",
                _csv_safe(entry.prize),
            ]
        )
    return out.getvalue()


def _csv_safe(value):
    """Members' text in a spreadsheet cell: never a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def winners(campaign):
    return list(
        Entry.objects.filter(
            campaign=campaign,
            winner_rank__isnull=False,
            post__state=Post.State.PUBLISHED,
        )
        .select_related("post__author__community_profile")
        .prefetch_related("post__images")
        .order_by("winner_rank", "id")
    )


def announce_winners(campaign):
    """Announce the winners on the page and e-mail each once. Returns the
    winners; Refused when none is chosen."""
    chosen = winners(campaign)
    if not chosen:
        raise Refused(_("Choose the winners first: give their entries a place."))
    with transaction.atomic():
        CampaignPage.objects.filter(pk=campaign.pk).update(
            winners_announced_at=timezone.now()
        )
        campaign.winners_announced_at = timezone.now()
        pending = [e.pk for e in chosen if e.notified_at is None]
        transaction.on_commit(lambda: notify_winners(pending))
    return chosen


# The suspicious-vote report


@dataclass
class Suspicion:
    kind: str
    entry: Entry
    key: str
    label: str
    vote_ids: list

    @property
    def id(self):
        return f"{self.kind}|{self.entry.pk}|{self.key}"

    @property
    def count(self):
        return len(self.vote_ids)


def fraud_report(campaign):
    """[Suspicion]: groups of counted votes for one entry that are many (at
    least FRAUD_THRESHOLD) from new accounts, from one network, or within one
    burst window."""
    threshold = max(app_settings.FRAUD_THRESHOLD, 1)
    new_age = datetime.timedelta(hours=app_settings.FRAUD_NEW_ACCOUNT_HOURS)
    window = datetime.timedelta(minutes=max(app_settings.FRAUD_BURST_MINUTES, 1))
    votes = (
        Vote.objects.filter(campaign=campaign, voided=False)
        .order_by("entry_id", "created_at", "id")
        .values_list("id", "entry_id", "network", "created_at", "account_created_at")
    )
    new, networks, bursts = {}, {}, {}
    current, recent = None, deque()
    for pk, entry_id, network, created, joined in votes.iterator(chunk_size=5000):
        if joined is not None and created - joined < new_age:
            new.setdefault(entry_id, []).append(pk)
        if network:
            networks.setdefault((entry_id, network), []).append(pk)
        if entry_id != current:
            current, recent = entry_id, deque()
        recent.append((pk, created))
        while recent and created - recent[0][1] > window:
            recent.popleft()
        if len(recent) >= threshold:
            start = recent[0][1]
            group = bursts.setdefault(entry_id, {})
            # Overlapping windows of one entry merge into one burst.
            last = max(group, default=None)
            if last is not None and start - group[last]["end"] <= window:
                group[last]["ids"].update(p for p, _c in recent)
                group[last]["end"] = created
            else:
                group[start] = {"ids": {p for p, _c in recent}, "end": created}
    entry_ids = set(new) | {e for e, _n in networks} | set(bursts)
    entries = Entry.objects.select_related("post").in_bulk(list(entry_ids))
    report = []
    for entry_id, ids in new.items():
        if len(ids) >= threshold:
            report.append(
                Suspicion(
                    "new", entries[entry_id], "new", _("Votes from new accounts"), ids
                )
            )
    for (entry_id, network), ids in networks.items():
        if len(ids) >= threshold:
            report.append(
                Suspicion(
                    "network",
                    entries[entry_id],
                    network,
                    _("Votes from one network: %(network)s") % {"network": network},
                    ids,
                )
            )
    for entry_id, group in bursts.items():
        for start, burst in group.items():
            report.append(
                Suspicion(
                    "burst",
                    entries[entry_id],
                    start.isoformat(),
                    _("A burst of votes from %(start)s to %(end)s")
                    % {
                        "start": human_datetime(start),
                        "end": human_datetime(burst["end"]),
                    },
                    sorted(burst["ids"]),
                )
            )
    report.sort(key=lambda s: (-s.count, s.kind, s.entry.pk))
    return report


def void_suspicions(campaign, ids, *, editor):
    """Void the votes of the report's groups named by `ids`; returns how
    many votes were voided."""
    wanted = set(ids)
    vote_ids = set()
    reasons = []
    for suspicion in fraud_report(campaign):
        if suspicion.id in wanted:
            vote_ids.update(suspicion.vote_ids)
            reasons.append(str(suspicion.label))
    if not vote_ids:
        return 0
    return void_votes(
        Vote.objects.filter(campaign=campaign, pk__in=vote_ids),
        editor=editor,
        reason="; ".join(reasons),
    )


# Numbers for the report


def campaign_numbers(campaign):
    """Entries, votes (counted and voided), survey responses."""
    votes = Vote.objects.filter(campaign=campaign).aggregate(
        counted=Count("pk", filter=models.Q(voided=False)),
        voided=Count("pk", filter=models.Q(voided=True)),
    )
    return {
        "entries": Entry.objects.filter(campaign=campaign).count(),
        "published_entries": Entry.objects.filter(
            campaign=campaign, post__state=Post.State.PUBLISHED
        ).count(),
        "votes": votes["counted"],
        "voided_votes": votes["voided"],
        "responses": SurveyResponse.objects.filter(page_id=campaign.pk).count(),
    }


def share_numbers(campaign):
    """[(platform name, shares, share-driven visits)] of the campaign's page
    and its entries, from sharing's daily counters, most shared first."""
    post_ids = list(
        Entry.objects.filter(campaign=campaign).values_list("post_id", flat=True)
    )
    rows = (
        ShareCount.objects.filter(
            models.Q(object_kind="page", object_id=campaign.pk)
            | models.Q(object_kind="post", object_id__in=post_ids)
        )
        .values("platform", "event")
        .annotate(total=models.Sum("count"))
        .order_by()
    )
    totals = {}
    for row in rows:
        shares, visits = totals.get(row["platform"], (0, 0))
        if row["event"] == ShareCount.SHARE:
            shares += row["total"]
        else:
            visits += row["total"]
        totals[row["platform"]] = (shares, visits)
    result = []
    for platform_id, (shares, visits) in totals.items():
        platform = platform_registry.get(platform_id)
        name = str(platform.name) if platform else platform_id
        result.append((name, shares, visits))
    return sorted(result, key=lambda row: (-row[1], -row[2], row[0]))
