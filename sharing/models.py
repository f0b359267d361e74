"""The sharing app's models: per-site settings with the company's own-media
accounts, the page mixin that makes pages shareable, and the daily share and
share-driven-visit counters."""

import datetime

from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from . import app_settings, restrictions
from .blocks import PlatformChoiceBlock
from .registry import follow_choices, registry
from .shareables import Shareable
from .text import page_description

#: Longest link-preview summary taken from a page's text (the share summary
#: field itself holds up to 300 characters too).
SHARE_DESCRIPTION_LENGTH = 300


class SharingSettings(BaseSiteSetting, ClusterableModel):
    """Per-site sharing settings (Settings → Sharing in the Wagtail admin)."""

    share_platforms = StreamField(
        [("platform", PlatformChoiceBlock())],
        blank=True,
        verbose_name=_("share buttons"),
        help_text=_(
            "The platforms offered as share buttons, in this order, on pages in "
            "a language without buttons of its own. Leave empty for the default "
            "set of each language."
        ),
    )
    show_share_count = models.BooleanField(
        _("show share counts"),
        default=False,
        help_text=_("Show how often a page was shared next to its buttons."),
    )
    default_share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default share image"),
        help_text=_("Used in link previews of pages that have no picture."),
    )
    wechat_app_id = models.CharField(
        _("WeChat official account app ID"), max_length=64, blank=True
    )
    wechat_app_secret = models.CharField(
        _("WeChat official account app secret"),
        max_length=128,
        blank=True,
        help_text=_(
            "With the app ID and secret, pages opened inside WeChat carry their "
            "title, summary and picture when shared. Leave empty to turn off."
        ),
    )

    select_related = ["default_share_image"]

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    InlinePanel(
                        "button_sets",
                        heading=_("Share buttons per language"),
                        label=_("Language"),
                        help_text=_(
                            "Pages in a language listed here show its buttons, "
                            "e.g. WeChat, Weibo, QQ and Douban first on Chinese "
                            "pages."
                        ),
                    ),
                    FieldPanel("share_platforms"),
                    FieldPanel("show_share_count"),
                    FieldPanel("default_share_image"),
                ],
                heading=_("Share buttons"),
            ),
            ObjectList(
                [InlinePanel("accounts", label=_("Account"))],
                heading=_("Own media"),
            ),
            ObjectList(
                [
                    FieldPanel("wechat_app_id"),
                    FieldPanel(
                        "wechat_app_secret",
                        widget=forms.PasswordInput(render_value=True),
                    ),
                ],
                heading=_("WeChat"),
            ),
        ]
    )

    class Meta:
        verbose_name = _("sharing")

    def __str__(self):
        return str(_("Sharing settings"))

    def share_platform_list(self, language=None):
        """The Platform objects of the share buttons on pages in `language`
        (default: the active language), in the editors' order: the language's
        own buttons, else the general list, else the language's default
        (SHARING_LANGUAGE_SHARE_PLATFORMS), else SHARING_DEFAULT_SHARE_PLATFORMS."""
        language = language or translation.get_language() or ""
        sets = self.button_set_list()
        code = match_language(language, [button_set.language for button_set in sets])
        ids = []
        if code is not None:
            button_set = next(item for item in sets if item.language == code)
            ids = [block.value for block in button_set.platforms]
        ids = ids or [block.value for block in self.share_platforms]
        if not ids:
            defaults = app_settings.LANGUAGE_SHARE_PLATFORMS
            code = match_language(language, list(defaults))
            ids = list(
                defaults[code]
                if code is not None
                else app_settings.DEFAULT_SHARE_PLATFORMS
            )
        platforms = (registry.get(platform_id) for platform_id in dict.fromkeys(ids))
        return [platform for platform in platforms if platform and platform.can_share]

    def button_set_list(self):
        """The per-language button sets, read once per instance (the settings
        object lives as long as the request)."""
        if not self.pk:
            return []
        if getattr(self, "_button_sets", None) is None:
            self._button_sets = list(self.button_sets.all())
        return self._button_sets

    @property
    def wechat_configured(self):
        return bool(self.wechat_app_id and self.wechat_app_secret)


def match_language(language, codes):
    """The entry of `codes` for `language`: the same code ("zh-hans"), else
    the generic language ("zh" for "zh-hans" and the other way round), else
    None. Case does not matter."""
    language = (language or "").lower()
    by_code = {code.lower(): code for code in codes if code}
    if language in by_code:
        return by_code[language]
    generic = language.split("-")[0]
    if generic in by_code:
        return by_code[generic]
    for lowered, code in by_code.items():
        if lowered.split("-")[0] == generic:
            return code
    return None


def language_choices():
    """The site's languages (LANGUAGES), for the per-language buttons' form."""
    return [
        (code, translation.gettext(name)) for code, name in django_settings.LANGUAGES
    ]


class ShareButtonSet(Orderable):
    """The share buttons of pages in one language: the platforms visitors of
    that language use, in the order they expect them."""

    settings = ParentalKey(
        SharingSettings, related_name="button_sets", on_delete=models.CASCADE
    )
    language = models.CharField(
        _("language"),
        max_length=20,
        help_text=_("Pages in this language show these buttons."),
    )
    platforms = StreamField(
        [("platform", PlatformChoiceBlock())],
        verbose_name=_("share buttons"),
        help_text=_("The platforms offered as share buttons, in this order."),
    )

    panels = [
        # Choices when the form is built: no migration when LANGUAGES changes.
        FieldPanel("language", widget=forms.Select(choices=language_choices)),
        FieldPanel("platforms"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("share buttons of a language")
        verbose_name_plural = _("share buttons per language")
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "language"],
                name="sharing_buttonset_unique_language",
            )
        ]

    def __str__(self):
        return dict(language_choices()).get(self.language, self.language)


class OwnMediaAccount(Orderable):
    """One of the company's own accounts, e.g. its Weibo or WeChat official
    account."""

    settings = ParentalKey(
        SharingSettings, related_name="accounts", on_delete=models.CASCADE
    )
    platform = models.CharField(_("platform"), max_length=40)
    handle = models.CharField(
        _("handle"),
        max_length=200,
        blank=True,
        help_text=_("The account name or id on the platform, e.g. @cloudmist."),
    )
    url = models.URLField(
        _("URL"),
        blank=True,
        help_text=_("The profile's address, when the handle is not enough."),
    )
    qr_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("QR code"),
        help_text=_(
            "For accounts followed by scanning, like a WeChat official "
            "account or Douyin."
        ),
    )
    label = models.CharField(
        pgettext_lazy("account label", "label"),
        max_length=80,
        blank=True,
        help_text=_("Shown instead of the platform's name, e.g. 'Cloudmist Tea'."),
    )
    show_in_header = models.BooleanField(_("in the header"), default=False)
    show_in_footer = models.BooleanField(_("in the footer"), default=True)
    show_in_follow_block = models.BooleanField(_("in follow blocks"), default=True)

    panels = [
        FieldRowPanel(
            [
                # Choices from the registry when the form is built: no
                # migration when platforms change.
                FieldPanel("platform", widget=forms.Select(choices=follow_choices)),
                FieldPanel("label"),
            ]
        ),
        FieldRowPanel([FieldPanel("handle"), FieldPanel("url")]),
        FieldPanel("qr_image"),
        MultiFieldPanel(
            [
                FieldPanel("show_in_header"),
                FieldPanel("show_in_footer"),
                FieldPanel("show_in_follow_block"),
            ],
            heading=_("Where to show it"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("own-media account")
        verbose_name_plural = _("own-media accounts")

    def __str__(self):
        return self.display_name

    @property
    def platform_obj(self):
        return registry.get(self.platform)

    @property
    def display_name(self):
        platform = self.platform_obj
        return self.label or (platform.name if platform else self.platform)

    def get_url(self):
        if self.url:
            return self.url
        platform = self.platform_obj
        if platform and self.handle:
            return platform.follow_url(self.handle)
        return None

    def clean(self):
        super().clean()
        platform = self.platform_obj
        if platform is None or not platform.can_follow:
            raise ValidationError({"platform": _("Choose a platform from the list.")})
        if not (self.handle or self.url or self.qr_image_id):
            raise ValidationError(
                _("Give a handle, a URL or a QR code for this account.")
            )
        if self.url and not self.url.lower().startswith(("https://", "http://")):
            raise ValidationError({"url": _("Use an http:// or https:// address.")})


class ShareablePageMixin(Shareable, models.Model):
    """Makes a Wagtail page shareable: share buttons, link previews and tracked
    share links, with per-page overrides in the promote tab.

    Fallbacks: share title → SEO title → title; summary → search description
    → the fields named in `share_description_fallbacks` → the first paragraph
    of `intro` or `body` (plain text, the chain of the meta description);
    image → the image fields named in `share_image_fallbacks` → the site's
    default image."""

    share_title = models.CharField(
        _("share title"),
        max_length=120,
        blank=True,
        help_text=_("Title of the link preview; defaults to the SEO title."),
    )
    share_description = models.TextField(
        _("share summary"),
        max_length=300,
        blank=True,
        help_text=_("Summary of the link preview; defaults to the search description."),
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("share image"),
        help_text=_(
            "Picture of the link preview (cropped to 1200×630); "
            "defaults to the page's picture."
        ),
    )
    show_share_buttons = models.BooleanField(_("show share buttons"), default=True)

    share_description_fallbacks = ("search_description",)
    share_image_fallbacks = ("image",)

    sharing_panels = [
        MultiFieldPanel(
            [
                FieldPanel("share_title"),
                FieldPanel("share_description"),
                FieldPanel("share_image"),
                FieldPanel("show_share_buttons"),
            ],
            heading=_("Sharing"),
        )
    ]
    # The promote tab gains the sharing fields, as Wagtail's own page mixins
    # add theirs; a page type that sets its own promote_panels adds
    # `ShareablePageMixin.sharing_panels` (check sharing.W004 says so).
    promote_panels = Page.promote_panels + sharing_panels

    class Meta:
        abstract = True

    def get_share_url(self, request=None):
        """The page's absolute URL on its Wagtail Site's root URL, never on the
        request's Host header (which the client chooses)."""
        return self.get_full_url(request)

    def get_share_title(self):
        return self.share_title or self.seo_title or self.title

    def get_share_description(self):
        """The share summary, else the page's description (plain text, at most
        SHARE_DESCRIPTION_LENGTH characters): the first paragraph of its search
        description, of the fields named in `share_description_fallbacks`, or
        of its `intro` or `body` (`sharing.text.page_description`), the same
        chain as its meta description."""
        if self.share_description:
            return self.share_description
        return Truncator(page_description(self)).chars(SHARE_DESCRIPTION_LENGTH)

    def get_share_image(self):
        if self.share_image_id:
            return self.share_image
        for name in self.share_image_fallbacks:
            if getattr(self, f"{name}_id", None):
                return getattr(self, name)
        return None

    def is_shareable(self, request=None):
        """Live and not behind a view restriction (memoised on the instance)."""
        if not hasattr(self, "_sharing_public"):
            self._sharing_public = self.live and not self._has_view_restrictions()
        return self._sharing_public

    def _has_view_restrictions(self):
        """A restriction on this page or an ancestor (the ancestors' paths are
        prefixes of the page's path), from the cached restricted paths."""
        if self.alias_of_id:
            return self.get_view_restrictions().exists()
        return restrictions.is_restricted(self)

    def share_buttons_enabled(self):
        return self.show_share_buttons


class ShareCount(models.Model):
    """How often an object was shared to a platform, or visited from it, on a
    day. One row per (day, site, event, platform, object), incremented with one
    atomic upsert: exact under concurrency, no per-visitor data at all."""

    SHARE = "share"
    VISIT = "visit"
    EVENT_CHOICES = [(SHARE, _("share")), (VISIT, _("share-driven visit"))]

    day = models.DateField(_("day"))
    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="+"
    )
    event = models.CharField(_("event"), max_length=10, choices=EVENT_CHOICES)
    platform = models.CharField(_("platform"), max_length=40)
    object_kind = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("share count")
        verbose_name_plural = _("share counts")
        default_permissions = ()
        permissions = [("view_share_reports", _("Can view share reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "site", "event", "platform", "object_kind", "object_id"],
                name="sharing_sharecount_unique_day",
            )
        ]
        indexes = [
            models.Index(
                fields=["site", "event", "day"], name="sharing_sc_site_event_day"
            ),
            models.Index(
                fields=["object_kind", "object_id", "event"],
                name="sharing_sc_object",
            ),
        ]

    def __str__(self):
        return (
            f"{self.day} {self.event} {self.platform} "
            f"{self.object_kind}:{self.object_id} = {self.count}"
        )

    @classmethod
    def increment(cls, *, site, event, platform, kind, object_id, day=None):
        """Add one, in one statement (an upsert), safe under concurrency."""
        day = day or timezone.localdate()
        cls.add_counts([(day, site.pk, event, platform, kind, object_id, 1)])

    #: Rows per upsert statement (7 parameters a row: well under the limits of
    #: SQLite and PostgreSQL).
    UPSERT_ROWS = 500

    @classmethod
    def add_counts(cls, rows):
        """Add to the counters, creating those that do not exist yet. `rows`:
        (day, site id, event, platform, kind, object id, n) with distinct keys.
        One upsert statement per UPSERT_ROWS rows, in the caller's transaction;
        rows are written in key order, so concurrent writers lock them in the
        same order (no deadlock)."""
        rows = sorted(rows)
        if connection.vendor in {"postgresql", "sqlite"}:
            table = connection.ops.quote_name(cls._meta.db_table)
            with connection.cursor() as cursor:
                for start in range(0, len(rows), cls.UPSERT_ROWS):
                    chunk = rows[start : start + cls.UPSERT_ROWS]
                    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
                    cursor.execute(
                        f"INSERT INTO {table} "  # noqa: S608 (names are ours)
                        "(day, site_id, event, platform, object_kind, object_id, "
                        f"count) VALUES {values} "
                        "ON CONFLICT (day, site_id, event, platform, object_kind, "
                        f"object_id) DO UPDATE SET count = {table}.count "
                        "+ EXCLUDED.count",
                        [value for row in chunk for value in row],
                    )
            return
        # Other databases: an atomic UPDATE, else create (retrying on a race).
        for day, site_id, event, platform, kind, object_id, n in rows:
            lookup = {
                "day": day,
                "site_id": site_id,
                "event": event,
                "platform": platform,
                "object_kind": kind,
                "object_id": object_id,
            }
            if cls.objects.filter(**lookup).update(count=F("count") + n):
                continue
            try:
                with transaction.atomic():
                    cls.objects.create(count=n, **lookup)
            except IntegrityError:
                cls.objects.filter(**lookup).update(count=F("count") + n)

    @classmethod
    def total_for(cls, kind, object_id, event=SHARE):
        return (
            cls.objects.filter(
                object_kind=kind, object_id=object_id, event=event
            ).aggregate(total=models.Sum("count"))["total"]
            or 0
        )


class ShareDayTotal(models.Model):
    """A closed day's shares (or share-driven visits) per platform, summed
    over every object and site: what reports over long ranges read instead of
    the per-object counters. A row with platform "" marks the day as summed
    (days without any share have it too). Written by
    ``sharing.rollups.roll_up``."""

    day = models.DateField(_("day"))
    event = models.CharField(
        _("event"), max_length=10, choices=ShareCount.EVENT_CHOICES
    )
    platform = models.CharField(_("platform"), max_length=40, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("daily share total")
        verbose_name_plural = _("daily share totals")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["event", "day", "platform"], name="sharing_daytotal_unique"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.event} {self.platform or '-'} = {self.count}"


class ShareMonthTotal(models.Model):
    """A closed calendar month's shares (or share-driven visits) per object,
    summed over platforms and sites, for "top pages" over long ranges. A row
    with object_kind "" marks the month as summed."""

    month = models.DateField(_("month"), help_text=_("Its first day."))
    event = models.CharField(
        _("event"), max_length=10, choices=ShareCount.EVENT_CHOICES
    )
    object_kind = models.CharField(_("kind"), max_length=40, blank=True)
    object_id = models.PositiveBigIntegerField(_("object id"), default=0)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("monthly share total")
        verbose_name_plural = _("monthly share totals")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["event", "month", "object_kind", "object_id"],
                name="sharing_monthtotal_unique",
            )
        ]

    def __str__(self):
        return (
            f"{self.month:%Y-%m} {self.event} "
            f"{self.object_kind or '-'}:{self.object_id} = {self.count}"
        )


class FlushedShareBatch(models.Model):
    """A batch of counts that the Redis counter backend moved to ShareCount.
    The flush writes the batch's id in the transaction that adds its counts,
    so a batch whose flush stopped after that commit (before Redis forgot it)
    is never added twice. Rows older than a day are pruned once Redis no longer
    holds their batch."""

    batch_id = models.CharField(_("batch"), max_length=32, primary_key=True)
    flushed_at = models.DateTimeField(_("flushed at"), default=timezone.now)

    class Meta:
        verbose_name = _("flushed batch of share counts")
        verbose_name_plural = _("flushed batches of share counts")
        default_permissions = ()
        indexes = [models.Index(fields=["flushed_at"], name="sharing_fsb_flushed_at")]

    def __str__(self):
        return self.batch_id


def since(days):
    return timezone.localdate() - datetime.timedelta(days=days - 1)
