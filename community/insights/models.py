"""Insights: daily aggregates, listening keyword groups, their mentions and
the editors' digest subscriptions."""

import re
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from community.cjk import CJK_RUN
from community.insights.sources.registry import registry

# A Latin letter or digit: what may not touch a Latin keyword on either side
# (Chinese characters may: "喜欢Cloudmist的茶" mentions Cloudmist).
LATIN = r"[0-9A-Za-z\u00c0-\u024f]"


class DailyMetric(models.Model):
    """One number per (metric, day, key): what the reports read instead of
    scanning raw events. `key` splits a metric (a sign-in provider, a page, a
    member, a keyword group); "" is the metric's total."""

    day = models.DateField(_("day"))
    metric = models.CharField(_("metric"), max_length=40)
    key = models.CharField(pgettext_lazy("metric", "key"), max_length=100, blank=True)
    value = models.PositiveIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("daily metric")
        verbose_name_plural = _("daily metrics")
        default_permissions = ()
        permissions = [
            ("view_engagement_report", _("Can view the engagement report")),
            ("view_listening_report", _("Can view the listening report")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "day", "key"], name="community_dailymetric_unique"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.metric}[{self.key}] = {self.value}"


class KeywordGroup(models.Model):
    """Something editors listen for: the brand, a product or a competitor,
    with its names and synonyms in English and Chinese."""

    class Kind(models.TextChoices):
        BRAND = "brand", _("Brand")
        PRODUCT = "product", _("Product")
        COMPETITOR = "competitor", _("Competitor")
        INDUSTRY = "industry", _("Industry")

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.BRAND
    )
    keywords_en = models.TextField(
        _("English keywords"),
        blank=True,
        help_text=_("One keyword or phrase per line; matched as whole words."),
    )
    keywords_zh = models.TextField(
        _("Chinese keywords"),
        blank=True,
        help_text=_("One keyword per line; matched anywhere in the text."),
    )
    active = models.BooleanField(pgettext_lazy("keyword group", "active"), default=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("keywords_en"), FieldPanel("keywords_zh")]),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = _("keyword group")
        verbose_name_plural = _("keyword groups")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    def keywords(self):
        """Every non-empty keyword of both languages, in order."""
        lines = f"{self.keywords_en}\n{self.keywords_zh}".splitlines()
        return [" ".join(line.split()) for line in lines if line.strip()]

    def pattern(self):
        """One case-insensitive regular expression for the group: Latin
        keywords between word boundaries, CJK keywords anywhere."""
        parts = []
        for keyword in self.keywords():
            escaped = re.escape(keyword).replace(r"\ ", r"\s+")
            if CJK_RUN.fullmatch(keyword):
                parts.append(escaped)
            else:
                parts.append(rf"(?<!{LATIN}){escaped}(?!{LATIN})")
        if not parts:
            return None
        return re.compile("|".join(parts), re.IGNORECASE)


class Source(models.Model):
    """A place listened to beyond the site: a feed, a platform's search, an
    import or an inbound webhook. `connector` names a connector class of the
    registry (setting COMMUNITY_INSIGHTS_CONNECTORS); `config` holds what that
    connector needs (a feed URL, an instance and a hashtag, a query...). The
    remaining fields are the fetching state the scheduler keeps."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Leave empty to listen for every site."),
    )
    name = models.CharField(_("name"), max_length=120)
    connector = models.CharField(_("connector"), max_length=40)
    config = models.JSONField(
        pgettext_lazy("listening source", "settings"), default=dict, blank=True
    )
    active = models.BooleanField(
        pgettext_lazy("listening source", "active"), default=True
    )
    interval = models.PositiveIntegerField(
        _("interval (minutes)"),
        default=30,
        help_text=_("How often the source is fetched; be polite to small sites."),
    )
    secret = models.CharField(_("secret"), max_length=128, blank=True, editable=False)
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=64, blank=True, editable=False)
    cursor = models.CharField(max_length=255, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(
        _("last fetched"), null=True, blank=True, editable=False
    )
    last_ok_at = models.DateTimeField(
        _("last success"), null=True, blank=True, editable=False
    )
    next_fetch_at = models.DateTimeField(
        _("next fetch"), null=True, blank=True, editable=False
    )
    failures = models.PositiveIntegerField(_("failures"), default=0, editable=False)
    last_error = models.CharField(
        _("last error"), max_length=500, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("listening source")
        verbose_name_plural = _("listening sources")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["active", "next_fetch_at"], name="community_src_due"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.secret:
            self.secret = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def get_connector(self):
        return registry.get(self.connector)

    def status(self):
        """ "ok", "failing", "paused" or "new", for the admin listing."""
        if not self.active:
            return "paused"
        if self.failures:
            return "failing"
        return "ok" if self.last_ok_at else "new"


class ExternalPost(models.Model):
    """One item fetched or imported from outside the site, stored once: the
    same (normalised) URL or the same text is never stored twice."""

    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="posts",
    )
    external_id = models.CharField(max_length=200, blank=True)
    url = models.CharField(_("URL"), max_length=500, blank=True)
    text_hash = models.CharField(max_length=64, editable=False)
    author_handle = models.CharField(_("author handle"), max_length=150, blank=True)
    author_name = models.CharField(_("author name"), max_length=150, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    published_at = models.DateTimeField(_("published"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    reach = models.PositiveBigIntegerField(_("reach"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("fetched"), default=timezone.now)

    class Meta:
        verbose_name = _("external post")
        verbose_name_plural = _("external posts")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~models.Q(url=""),
                name="community_extpost_url",
            ),
            models.UniqueConstraint(
                fields=["text_hash"], name="community_extpost_text"
            ),
        ]
        indexes = [
            models.Index(fields=["source", "-published_at"], name="community_ep_src"),
        ]

    def __str__(self):
        return self.title or self.text[:60]


class Mention(models.Model):
    """A keyword group named in a comment, a post, or an item from outside
    the site (an :class:`ExternalPost`, then `origin` is its source)."""

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEUTRAL = "neutral", _("Neutral")
        NEGATIVE = "negative", _("Negative")

    group = models.ForeignKey(
        KeywordGroup, on_delete=models.CASCADE, related_name="mentions"
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("date"))
    sentiment = models.CharField(
        _("sentiment"), max_length=10, choices=Sentiment.choices
    )
    excerpt = models.CharField(_("excerpt"), max_length=300)
    # Denormalised from the item so that reports never join it.
    origin = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="mentions",
        null=True,
        blank=True,
        help_text=_("Empty for the site itself."),
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    reach = models.PositiveBigIntegerField(_("reach"), null=True, blank=True)
    author = models.CharField(_("author"), max_length=150, blank=True)
    url = models.CharField(_("URL"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        default_permissions = ()
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="community_m_obj"),
            models.Index(fields=["-created_at"], name="community_m_latest"),
            models.Index(fields=["created_at", "group"], name="community_m_day_group"),
            models.Index(fields=["origin", "created_at"], name="community_m_origin"),
            # The report's latest mentions of one keyword group, newest first.
            models.Index(
                fields=["group", "-created_at"], name="community_m_group_latest"
            ),
        ]

    def __str__(self):
        return f"{self.group}: {self.excerpt[:40]}"


class AlertRule(models.Model):
    """When to warn editors about a keyword group: a spike of mentions, a
    surge of negative ones, or a mention by a listed (or far-reaching)
    account. An alert goes out at most once per `window` per rule."""

    class Kind(models.TextChoices):
        SPIKE = "spike", _("Spike of mentions")
        NEGATIVE = "negative", _("Surge of negative mentions")
        ACCOUNT = "account", _("Mention by a high-reach account")

    group = models.ForeignKey(
        KeywordGroup,
        verbose_name=_("keyword group"),
        on_delete=models.CASCADE,
        related_name="alert_rules",
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.SPIKE
    )
    active = models.BooleanField(pgettext_lazy("alert rule", "active"), default=True)
    ratio = models.DecimalField(
        _("ratio"),
        max_digits=6,
        decimal_places=2,
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A spike or surge: mentions per hour above this multiple of the "
            "trailing baseline."
        ),
    )
    min_count = models.PositiveIntegerField(
        _("minimum count"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("The fewest mentions in the window that can raise an alert."),
    )
    window = models.PositiveIntegerField(
        _("window (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(7 * 24 * 60)],
        help_text=_(
            "Mentions are counted over this window; at most one alert per window."
        ),
    )
    baseline_hours = models.PositiveIntegerField(
        _("baseline (hours)"),
        default=24 * 7,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 90)],
        help_text=_("The trailing period the window is compared with."),
    )
    handles = models.TextField(
        _("accounts"),
        blank=True,
        help_text=_("One author handle per line (e.g. @someone@mastodon.social)."),
    )
    min_reach = models.PositiveBigIntegerField(
        _("minimum reach"),
        null=True,
        blank=True,
        help_text=_("Any author whose reach (followers) is at least this many."),
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("e-mail recipients"),
        related_name="+",
        blank=True,
    )
    webhook_url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    webhook_secret = models.CharField(
        _("webhook secret"),
        max_length=128,
        blank=True,
        help_text=_("Signs each webhook call (HMAC-SHA256 of the body)."),
    )
    last_alert_at = models.DateTimeField(
        _("last alert"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["group__name", "name"]

    def __str__(self):
        return self.name


class Alert(models.Model):
    """One alert sent for a rule, with the mentions that raised it."""

    rule = models.ForeignKey(
        AlertRule,
        verbose_name=_("rule"),
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    summary = models.CharField(_("summary"), max_length=300)
    count = models.PositiveIntegerField(_("mentions"), default=0)
    baseline = models.FloatField(_("baseline per hour"), null=True, blank=True)
    mentions = models.ManyToManyField(
        Mention, verbose_name=_("mentions"), related_name="alerts", blank=True
    )
    email_status = models.CharField(_("e-mail"), max_length=200, blank=True)
    webhook_status = models.CharField(_("webhook"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        default_permissions = ("view",)
        ordering = ["-created_at"]

    def __str__(self):
        return self.summary


class DigestSubscription(models.Model):
    """An editor's opt-in to the listening digest by e-mail."""

    class Frequency(models.TextChoices):
        NEVER = "never", _("Never")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="insights_digest",
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.NEVER,
    )
    last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")
        default_permissions = ()

    def __str__(self):
        return f"{self.user} ({self.frequency})"


class ImportJob(models.Model):
    """A large import running in the background: its file (in the default
    storage until done), its column mapping, and its progress for the
    admin's progress page."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.CharField(max_length=255)
    file_name = models.CharField(_("file"), max_length=100, blank=True)
    mapping = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    mentions = models.PositiveIntegerField(default=0)
    # [[line, reason], ...], the first ones only; refused counts them all.
    errors = models.JSONField(default=list)
    refused = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        default_permissions = ()
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} → {self.source}"

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        return 100 if not self.total else min(100, self.done * 100 // self.total)
