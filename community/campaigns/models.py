"""Campaigns: a `CampaignPage` runs a contest (entries are community posts on
the campaign, which is a board of its own, voted on by members), a survey, or
both; a `CampaignIndexPage` lists running and past campaigns; a `SurveyPage`
is a survey on its own. Votes, survey responses and referral visits and
sign-ups are plain models. The routes' views live in
`community.campaigns.views`, the logic in `community.campaigns.services`,
`surveys` and `referrals`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from community.campaigns.blocks import SURVEY_BLOCKS
from community.comments.models import CommentsMixin
from community.posts.models import CommunityBoardPage, Post
from sharing.models import ShareablePageMixin

#: The largest primary key a URL may name (a bigger number is a 404, not a
#: database error).
MAX_PK = 2**63 - 1


def normalize_region(value):
    """A region as compared: case and spacing do not matter."""
    return " ".join(str(value or "").split()).casefold()


class RegionRuleMixin(models.Model):
    """Who may take part by region: empty, every member; else only members
    whose profile names one of the regions (one per line)."""

    regions = models.TextField(
        _("only members of these regions"),
        blank=True,
        help_text=_(
            "One region per line, as members write it in their profile (case "
            "does not matter). Empty: members of any region. Entries, votes "
            "and survey responses are refused to the others."
        ),
    )

    class Meta:
        abstract = True

    def region_list(self):
        """The regions, as written, without empty lines or repeats."""
        seen, result = set(), []
        for line in (self.regions or "").splitlines():
            name = " ".join(line.split())
            if name and normalize_region(name) not in seen:
                seen.add(normalize_region(name))
                result.append(name)
        return result

    def region_denied(self, user):
        """None when `user` (a signed-in member) is of one of the regions or
        no region is required; else why not, in the active language."""
        wanted = self.region_list()
        if not wanted:
            return None
        profile = getattr(user, "community_profile", None)
        region = normalize_region(profile.region if profile else "")
        if region and region in {normalize_region(name) for name in wanted}:
            return None
        names = gettext(", ").join(wanted)
        if not region:
            return gettext(
                "Only members of %(regions)s take part. Add your region to your "
                "profile if you live there."
            ) % {"regions": names}
        return gettext(
            "Only members of %(regions)s take part; your profile says %(region)s."
        ) % {"regions": names, "region": profile.region}


class SurveyMixin(models.Model):
    """A survey on a page: its questions, and who may answer."""

    class Respondents(models.TextChoices):
        MEMBERS = "members", _("Signed-in members, one response each")
        ANYONE = "anyone", _("Anyone, one response per browser")

    survey_intro = RichTextField(
        _("survey introduction"), blank=True, features=["bold", "italic", "link"]
    )
    survey = StreamField(SURVEY_BLOCKS, blank=True, verbose_name=_("survey"))
    survey_respondents = models.CharField(
        _("who may answer"),
        max_length=8,
        choices=Respondents.choices,
        default=Respondents.MEMBERS,
    )

    survey_panels = [
        FieldPanel("survey_intro"),
        FieldPanel("survey_respondents"),
        FieldPanel("survey"),
    ]

    class Meta:
        abstract = True

    @property
    def has_survey(self):
        return any(block.block_type != "page_break" for block in self.survey)

    @property
    def survey_anonymous(self):
        return self.survey_respondents == self.Respondents.ANYONE

    def survey_open(self, now=None):
        return True

    def clean(self):
        super().clean()
        keys = [
            block.value["key"]
            for block in self.survey
            if block.block_type != "page_break"
        ]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValidationError(
                {
                    "survey": _("Each question needs its own key: %(keys)s")
                    % {"keys": ", ".join(duplicates)}
                }
            )
        if (
            self.survey_anonymous
            and getattr(self, "regions", "").strip()
            and self.has_survey
        ):
            raise ValidationError(
                {
                    "survey_respondents": _(
                        "A survey limited to regions is answered by signed-in "
                        "members only (their profile says their region)."
                    )
                }
            )


class CampaignState(models.TextChoices):
    UPCOMING = "upcoming", pgettext_lazy("campaign state", "Upcoming")
    OPEN = "open", pgettext_lazy("campaign state", "Open for entries")
    VOTING = "voting", pgettext_lazy("campaign state", "Voting")
    CLOSED = "closed", pgettext_lazy("campaign state", "Closed")
    WINNERS = "winners", pgettext_lazy("campaign state", "Winners announced")


class CampaignPage(
    CommentsMixin,
    ShareablePageMixin,
    RegionRuleMixin,
    SurveyMixin,
    CommunityBoardPage,
):
    """An online activity with a start and an end: a contest whose entries
    are community posts on this page (a board of its own) voted on by
    members, a survey, or both."""

    State = CampaignState

    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero image"),
    )
    prizes = RichTextField(
        _("prizes"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    starts_at = models.DateTimeField(
        _("opens at"), help_text=_("Entries (and survey responses) from this moment.")
    )
    ends_at = models.DateTimeField(
        _("closes at"), help_text=_("No entries or survey responses after this moment.")
    )
    voting_starts_at = models.DateTimeField(
        _("voting opens at"),
        null=True,
        blank=True,
        help_text=_("Default: when the campaign opens."),
    )
    voting_ends_at = models.DateTimeField(
        _("voting closes at"),
        null=True,
        blank=True,
        help_text=_("Default: when the campaign closes."),
    )
    votes_per_day = models.PositiveSmallIntegerField(
        _("votes per member per day"),
        default=5,
        validators=[MaxValueValidator(1000)],
        help_text=_("One vote per entry in any case."),
    )
    jury_weight = models.PositiveSmallIntegerField(
        _("weight of the jury's score (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "0: the public vote alone ranks the entries; 100: the jury alone. "
            "Jury scores are given per entry in Community → Entries."
        ),
    )
    referral_bonus_signups = models.PositiveSmallIntegerField(
        _("bonus vote per how many sign-ups"),
        default=0,
        validators=[MaxValueValidator(1000)],
        help_text=_(
            "A member gets one more vote a day for every this many new members "
            "who signed up through their personal link since the campaign "
            "opened. 0: no bonus votes."
        ),
    )
    referral_bonus_max = models.PositiveSmallIntegerField(
        _("most bonus votes a day"),
        default=5,
        validators=[MaxValueValidator(1000)],
    )
    winners_announced_at = models.DateTimeField(
        _("winners announced at"), null=True, blank=True, editable=False
    )

    content_panels = Page.content_panels + [
        FieldPanel("hero_image"),
        FieldPanel("intro"),
        FieldPanel("rules"),
        FieldPanel("prizes"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel(
                    [FieldPanel("voting_starts_at"), FieldPanel("voting_ends_at")]
                ),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(SurveyMixin.survey_panels, heading=_("Survey")),
    ]
    settings_panels = (
        Page.settings_panels
        + [
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("allow_photos"),
                            FieldPanel("allow_stories"),
                        ],
                        heading=_("Kinds of entries (none: no contest)"),
                    ),
                    FieldPanel("moderation"),
                    FieldPanel("who_may_post"),
                    FieldPanel("votes_per_day"),
                    FieldRowPanel(
                        [
                            FieldPanel("referral_bonus_signups"),
                            FieldPanel("referral_bonus_max"),
                        ],
                        heading=_("Bonus votes for referrals"),
                    ),
                    FieldPanel("jury_weight"),
                ],
                heading=_("Contest"),
            ),
            FieldPanel("regions"),
        ]
        + CommentsMixin.comments_panels
    )
    promote_panels = Page.promote_panels + ShareablePageMixin.sharing_panels
    share_description_fallbacks = ("search_description", "plain_intro")
    share_image_fallbacks = ("hero_image",)
    parent_page_types = ["community_campaigns.CampaignIndexPage"]
    subpage_types = []
    template = "community_campaigns/campaign_page.html"
    # The campaign index lists campaigns, not the community's board links.
    listed_with_boards = False
    views_module = "community.campaigns.views"
    posts_views_module = "community.posts.views"

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.title

    @property
    def plain_intro(self):
        """The introduction as plain text (link previews, lists)."""
        return self.intro_text()

    # Dates and state

    @property
    def voting_start(self):
        return self.voting_starts_at or self.starts_at

    @property
    def voting_end(self):
        return self.voting_ends_at or self.ends_at

    def entries_open(self, now=None):
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    def voting_open(self, now=None):
        now = now or timezone.now()
        return self.voting_start <= now < self.voting_end

    def survey_open(self, now=None):
        return self.entries_open(now)

    @property
    def is_contest(self):
        return bool(self.allowed_kinds())

    @property
    def is_closed(self):
        # The board's rule (community.posts' posting_denied): entries only
        # while the campaign is open.
        return not self.entries_open()

    def state(self, now=None):
        """What visitors are told: upcoming, open, voting, closed or winners
        announced."""
        now = now or timezone.now()
        if self.winners_announced_at is not None:
            return CampaignState.WINNERS
        if now < self.starts_at:
            return CampaignState.UPCOMING
        if now < self.ends_at:
            return CampaignState.OPEN
        if self.is_contest and now < self.voting_end:
            return CampaignState.VOTING
        return CampaignState.CLOSED

    def next_moment(self, now=None):
        """(what happens, when) for the countdown, or None."""
        now = now or timezone.now()
        state = self.state(now)
        if state == CampaignState.UPCOMING:
            return _("Opens"), self.starts_at
        if state == CampaignState.OPEN:
            return _("Closes"), self.ends_at
        if state == CampaignState.VOTING:
            if now < self.voting_start:
                return _("Voting opens"), self.voting_start
            return _("Voting closes"), self.voting_end
        return None

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The campaign must close after it opens.")
        if self.voting_starts_at and self.starts_at and self.ends_at:
            if not self.starts_at <= self.voting_starts_at <= self.ends_at:
                errors["voting_starts_at"] = _(
                    "Voting opens while the campaign is open (between its "
                    "opening and closing)."
                )
        if (
            self.voting_ends_at
            and self.voting_start
            and self.voting_ends_at <= self.voting_start
        ):
            errors["voting_ends_at"] = _("Voting must close after it opens.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):  # noqa: DJ012 (beside the dates it syncs)
        # The board's own closing date says the same to community.posts.
        self.closes_at = self.ends_at
        super().save(*args, **kwargs)

    # Routes: the board's, plus the campaign's own.

    def route_view(self, name):
        try:
            return import_string(f"{self.views_module}.{name}")
        except ImportError:
            return import_string(f"{self.posts_views_module}.{name}")

    @path("")
    def index_route(self, request):
        return self.route_view("campaign_index")(request, self)

    @path("new/", name="post_new")
    def new_route(self, request):
        return self.route_view("entry_create")(request, self)

    @path("<int:pk>/", name="post")
    def detail_route(self, request, pk):
        if pk > MAX_PK:
            raise Http404
        return self.route_view("entry_detail")(request, self, pk)

    @path("<int:pk>/vote/", name="vote")
    def vote_route(self, request, pk):
        if pk > MAX_PK:
            raise Http404
        return self.route_view("entry_vote")(request, self, pk)

    @path("survey/", name="survey")
    def survey_route(self, request):
        return self.route_view("survey_submit")(request, self)

    @path("ranking/", name="ranking")
    def ranking_route(self, request):
        return self.route_view("campaign_ranking")(request, self)


class CampaignIndexPage(Page):
    """Lists the campaigns below it: running ones first, then past ones."""

    intro = RichTextField(
        pgettext_lazy("campaign index", "introduction"),
        blank=True,
        features=["bold", "italic", "link"],
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["community_campaigns.CampaignPage"]
    template = "community_campaigns/campaign_index_page.html"

    class Meta:
        verbose_name = _("campaign index")
        verbose_name_plural = _("campaign indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        campaigns = list(
            CampaignPage.objects.child_of(self)
            .live()
            .public()
            .select_related("hero_image")
            .order_by("-starts_at")
        )
        now = timezone.now()
        context["running"] = [
            c for c in campaigns if c.state(now) in ("upcoming", "open", "voting")
        ]
        context["past"] = [
            c for c in campaigns if c.state(now) in ("closed", "winners")
        ]
        context["now"] = now
        return context


class SurveyPage(CommentsMixin, ShareablePageMixin, RegionRuleMixin, SurveyMixin, Page):
    """A survey on its own (market research), without a contest."""

    intro = RichTextField(
        pgettext_lazy("survey", "introduction"),
        blank=True,
        features=["bold", "italic", "link"],
    )
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("No responses after this moment."),
    )
    thank_you = RichTextField(
        _("thank-you text"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(SurveyMixin.survey_panels, heading=_("Survey")),
        FieldPanel("closes_at"),
        FieldPanel("regions"),
        FieldPanel("thank_you"),
    ]
    promote_panels = Page.promote_panels + ShareablePageMixin.sharing_panels
    template = "community_campaigns/survey_page.html"
    subpage_types = []

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return self.title

    def survey_open(self, now=None):
        now = now or timezone.now()
        return self.closes_at is None or now < self.closes_at

    def serve(self, request, *args, **kwargs):
        view = import_string("community.campaigns.views.survey_page")
        return view(request, self)


class Entry(models.Model):
    """A community post entered in a campaign's contest, with its vote
    count (moved with atomic `F()` updates: ranking by votes is an index
    scan), the jury's score and the place the editors gave it."""

    campaign = models.ForeignKey(
        CampaignPage,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("campaign"),
    )
    post = models.OneToOneField(
        Post,
        on_delete=models.CASCADE,
        related_name="campaign_entry",
        verbose_name=_("post"),
    )
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    jury_score = models.PositiveSmallIntegerField(
        _("jury score (0–100)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    winner_rank = models.PositiveSmallIntegerField(
        _("place"),
        null=True,
        blank=True,
        help_text=_("1 for the winner, 2 for the runner-up…; empty: not a winner."),
    )
    prize = models.CharField(_("prize"), max_length=200, blank=True)
    notified_at = models.DateTimeField(_("winner notified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        indexes = [
            models.Index(
                fields=["campaign", "-vote_count", "-id"], name="entry_campaign_votes"
            ),
            models.Index(fields=["campaign", "-id"], name="entry_campaign_latest"),
        ]

    def __str__(self):
        return self.post.title

    def get_url(self, request=None):
        return self.campaign.post_url(self.post, request=request)


class Vote(models.Model):
    """One member's vote for an entry. Voided votes stay (with who voided
    them and why) for the audit; they no longer count."""

    campaign = models.ForeignKey(
        CampaignPage, on_delete=models.CASCADE, related_name="votes"
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="campaign_votes",
    )
    network = models.CharField(_("network"), max_length=64, blank=True)
    account_created_at = models.DateTimeField(_("account created at"), null=True)
    created_at = models.DateTimeField(_("voted at"), default=timezone.now)
    voided = models.BooleanField(_("voided"), default=False)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    void_reason = models.CharField(_("why voided"), max_length=200, blank=True)

    # Votes are listed in the admin (a snippet) but name nothing an editor
    # would look up: Wagtail's reference index would cost each vote five
    # more queries.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "user"], name="campaigns_one_vote_per_member"
            )
        ]
        indexes = [
            models.Index(
                fields=["campaign", "user", "created_at"], name="vote_member_day"
            ),
            models.Index(fields=["campaign", "created_at"], name="vote_campaign_time"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.entry_id}"


class SurveyResponse(models.Model):
    """One response to a page's survey: by a member (one each), or by an
    anonymous browser (one per signed browser key)."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    browser = models.CharField(max_length=40, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    region = models.CharField(_("region"), max_length=80, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "user"],
                condition=models.Q(user__isnull=False),
                name="campaigns_one_response_per_member",
            ),
            models.UniqueConstraint(
                fields=["page", "browser"],
                condition=~models.Q(browser=""),
                name="campaigns_one_response_per_browser",
            ),
        ]
        indexes = [models.Index(fields=["page", "created_at"], name="response_page")]

    def __str__(self):
        return f"{self.page_id}: {self.created_at:%Y-%m-%d}"


class ReferralCode(models.Model):
    """A member's personal share code: links carrying ?ref=<code> attribute
    the visits and sign-ups they bring to the member."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_code"
    )
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("referral code")
        verbose_name_plural = _("referral codes")

    def __str__(self):
        return self.code


class ReferralVisit(models.Model):
    """A browser's first visit through a member's link (per member)."""

    code = models.ForeignKey(
        ReferralCode, on_delete=models.CASCADE, related_name="visits"
    )
    path = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("referral visit")
        verbose_name_plural = _("referral visits")
        indexes = [models.Index(fields=["path", "code"], name="referral_visit_path")]

    def __str__(self):
        return self.path


class ReferralSignup(models.Model):
    """A new member who signed up after arriving through a member's link."""

    code = models.ForeignKey(
        ReferralCode, on_delete=models.CASCADE, related_name="signups"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referred_by"
    )
    path = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("referral sign-up")
        verbose_name_plural = _("referral sign-ups")
        indexes = [models.Index(fields=["path", "code"], name="referral_signup_path")]

    def __str__(self):
        return self.path
