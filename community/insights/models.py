"""Insights: daily aggregates, listening keyword groups, their mentions and
the editors' digest subscriptions."""

import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from community.cjk import CJK_RUN

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


class Mention(models.Model):
    """A keyword group named in a comment (or any other text item)."""

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

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        default_permissions = ()
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="community_m_obj"),
            models.Index(fields=["-created_at"], name="community_m_latest"),
        ]

    def __str__(self):
        return f"{self.group}: {self.excerpt[:40]}"


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
