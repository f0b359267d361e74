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
from .credentials import EncryptedTextField
from .registry import account_choices, registry
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

    # Publishing (sharing.publishers): what the platform's API needs. The
    # secrets are encrypted at rest and never shown again once saved.
    api_base = models.URLField(
        _("API address"),
        blank=True,
        help_text=_(
            "Mastodon: the account's server (https://mastodon.social). "
            "Webhook: the address the posts are sent to."
        ),
    )
    client_id = models.CharField(
        _("app ID or client ID"),
        max_length=200,
        blank=True,
        help_text=_("WeChat: the official account's AppID. X, LinkedIn: client ID."),
    )
    client_secret = EncryptedTextField(
        _("app secret"),
        blank=True,
        default="",
        help_text=_(
            "WeChat: AppSecret. X, LinkedIn: client secret (to refresh tokens). "
            "Webhook: the signing secret."
        ),
    )
    access_token = EncryptedTextField(
        _("access token"),
        blank=True,
        default="",
        help_text=_(
            "Weibo, X, LinkedIn, Mastodon: the account's token. "
            "Telegram: the bot's token."
        ),
    )
    refresh_token = EncryptedTextField(
        _("refresh token"),
        blank=True,
        default="",
        help_text=_("X, LinkedIn: renews the access token when it expires."),
    )
    token_expires_at = models.DateTimeField(
        _("access token expires"), null=True, blank=True, editable=False
    )

    panels = [
        FieldRowPanel(
            [
                # Choices from the registry when the form is built: no
                # migration when platforms change.
                FieldPanel("platform", widget=forms.Select(choices=account_choices)),
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
        MultiFieldPanel(
            [
                FieldPanel("api_base"),
                FieldPanel("client_id"),
                FieldPanel("client_secret"),
                FieldPanel("access_token"),
                FieldPanel("refresh_token"),
            ],
            heading=_("Publishing"),
            help_text=_(
                "Fill in to publish to this account from the site "
                "(docs: Publishing to own media). Secrets are stored encrypted "
                "and never shown again."
            ),
            classname="collapsed",
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

    @property
    def can_publish(self):
        """Whether the platform publishes and the account has what it needs."""
        platform = self.platform_obj
        if platform is None or not platform.can_publish:
            return False
        return not platform.get_publisher().missing(self)

    def token_expires_soon(self, margin=60):
        return self.token_expires_at is not None and (
            self.token_expires_at <= timezone.now() + datetime.timedelta(seconds=margin)
        )

    def store_tokens(self, *, access_token, refresh_token=None, expires_in=None):
        """Save renewed OAuth tokens (encrypted), without touching the rest of
        the row."""
        self.access_token = access_token
        if refresh_token is not None:
            self.refresh_token = refresh_token
        self.token_expires_at = (
            timezone.now() + datetime.timedelta(seconds=expires_in)
            if expires_in
            else None
        )
        if self.pk:
            self.save(
                update_fields=["access_token", "refresh_token", "token_expires_at"]
            )

    def clean(self):
        super().clean()
        platform = self.platform_obj
        if platform is None or not (platform.can_follow or platform.can_publish):
            raise ValidationError({"platform": _("Choose a platform from the list.")})
        if not platform.can_follow:
            if not self.api_base and "api_base" in platform.get_publisher().needs:
                raise ValidationError({"api_base": _("Give the address to post to.")})
        elif not (self.handle or self.url or self.qr_image_id):
            raise ValidationError(
                _("Give a handle, a URL or a QR code for this account.")
            )
        if self.url and not self.url.lower().startswith(("https://", "http://")):
            raise ValidationError({"url": _("Use an http:// or https:// address.")})
        if self.api_base and not self.api_base.lower().startswith(
            ("https://", "http://")
        ):
            raise ValidationError(
                {"api_base": _("Use an http:// or https:// address.")}
            )


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
    #: "Publish to own media": posts to the company's accounts, sent when the
    #: page is published or at a chosen time (`sharing.publishing`). A page
    #: type opts in by adding these to one of its tabs.
    own_media_panels = [
        InlinePanel(
            "own_media_posts",
            heading=_("Publish to own media"),
            label=pgettext_lazy("own-media post", "Post"),
            help_text=_(
                "Each post goes to one account when the page is published (or "
                "at its time), with the page's link; follow them in Reports → "
                "Own-media posts. A post that fails never stops the page."
            ),
        )
    ]
    # The promote tab gains the sharing fields and the own-media posts, as
    # Wagtail's own page mixins add theirs; a page type that sets its own
    # promote_panels adds `ShareablePageMixin.sharing_panels` (check
    # sharing.W004 says so) and, to publish to own media, `own_media_panels`.
    promote_panels = Page.promote_panels + sharing_panels + own_media_panels

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


def publishing_accounts():
    """The accounts an own-media post may choose: on platforms that publish
    (a callable, so adding a platform needs no migration)."""
    return models.Q(platform__in=[p.id for p in registry.publish_platforms()])


class PublishAccountSelect(forms.Select):
    """The account of an own-media post: each option carries its platform's
    rules (length, hashtags, link), which the editor's preview reads
    (sharing/own_media_posts.js)."""

    class Media:
        js = ["sharing/own_media_posts.js"]
        css = {"all": ["sharing/admin.css"]}

    def create_option(self, name, value, label, selected, index, **kwargs):
        option = super().create_option(name, value, label, selected, index, **kwargs)
        account = getattr(value, "instance", None)
        platform = account.platform_obj if account is not None else None
        publisher = platform.get_publisher() if platform else None
        if publisher is not None:
            option["attrs"].update(
                {
                    "data-platform": platform.id,
                    "data-platform-name": str(platform.name),
                    "data-max-length": publisher.max_length or "",
                    "data-link-length": publisher.link_length or "",
                    "data-hashtag-format": publisher.hashtag_format,
                    "data-link-in-text": "1" if publisher.link_in_text else "",
                }
            )
        return option


class OwnMediaPost(Orderable):
    """A post an editor writes for one own-media account in the page editor
    ("Publish to own media"): saved with the page's revisions, sent when the
    page is published (or at `publish_at`) as a `PublishAttempt`. Any page
    type opts in by adding `ShareablePageMixin.own_media_panels`."""

    page = ParentalKey(
        "wagtailcore.Page", related_name="own_media_posts", on_delete=models.CASCADE
    )
    account = models.ForeignKey(
        OwnMediaAccount,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=publishing_accounts,
        verbose_name=_("account"),
    )
    text = models.TextField(
        _("text"),
        max_length=5000,
        help_text=_(
            "What the post says; the hashtags and the page's link (with its "
            "tracking tags) are added after it."
        ),
    )
    hashtags = models.CharField(
        _("hashtags"),
        max_length=200,
        blank=True,
        help_text=_("Separated by spaces or commas, written as the platform wants."),
    )
    publish_at = models.DateTimeField(
        _("post at"),
        null=True,
        blank=True,
        help_text=_("Leave empty to post when the page is published."),
    )

    panels = [
        FieldPanel("account", widget=PublishAccountSelect),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("hashtags"), FieldPanel("publish_at")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("post to own media")
        verbose_name_plural = _("posts to own media")

    def __str__(self):
        return Truncator(self.text).chars(60)

    def tag_list(self):
        return [tag for tag in self.hashtags.replace(",", " ").split() if tag.strip()]

    def clean(self):
        super().clean()
        account = self.account
        if account is None:
            return
        if not account.can_publish:
            raise ValidationError(
                {
                    "account": _(
                        "This account cannot be published to yet: give it its "
                        "credentials in Settings → Sharing → Own media."
                    )
                }
            )
        publisher = account.platform_obj.get_publisher()
        if publisher.max_length:
            # The link's length as it will be: the page's URL with its tags.
            link = "https://" + "x" * 80
            composed = publisher.compose(self.text, self.tag_list(), link)
            length = publisher.length(composed, link)
            if length > publisher.max_length:
                raise ValidationError(
                    {
                        "text": _(
                            "Too long for %(platform)s: %(length)s characters "
                            "with the hashtags and link, at most %(limit)s."
                        )
                        % {
                            "platform": account.platform_obj.name,
                            "length": length,
                            "limit": publisher.max_length,
                        }
                    }
                )


class PublishAttempt(models.Model):
    """One post to one own-media account: the page or object, the text, and
    where sending it stands. The state machine:

        queued → sending → sent
                         ↘ queued (a retry, after a back-off) ↘ failed
        queued, failed → cancelled;  failed, cancelled → queued (editor)

    "sending" is written before the platform is called and "sent" with the
    remote post's id after it answers, so a task that runs twice never
    posts twice (an attempt left in "sending" by a process that ended
    mid-call is marked failed by `release_stuck`, for an editor to check)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    STATE_CHOICES = [
        (QUEUED, _("queued")),
        (SENDING, _("sending")),
        (SENT, _("sent")),
        (FAILED, _("failed")),
        (CANCELLED, _("cancelled")),
    ]
    TRANSITIONS = {
        QUEUED: {SENDING, CANCELLED},
        SENDING: {SENT, QUEUED, FAILED},
        FAILED: {QUEUED, CANCELLED},
        CANCELLED: {QUEUED},
        SENT: set(),
    }

    post = models.OneToOneField(
        OwnMediaPost,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attempt",
        verbose_name=_("post in the page"),
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("site"),
    )
    account = models.ForeignKey(
        OwnMediaAccount,
        null=True,
        on_delete=models.SET_NULL,
        related_name="publish_attempts",
        verbose_name=_("account"),
    )
    platform = models.CharField(_("platform"), max_length=40)
    account_label = models.CharField(_("account"), max_length=200, blank=True)
    object_kind = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
    )
    url = models.URLField(_("page address"), max_length=1000)
    body = models.TextField(_("text"), blank=True)
    hashtags = models.CharField(_("hashtags"), max_length=200, blank=True)
    text = models.TextField(_("text as posted"), blank=True)
    link = models.URLField(_("link"), max_length=1200, blank=True)

    state = models.CharField(
        _("state"), max_length=10, choices=STATE_CHOICES, default=QUEUED
    )
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    next_try_at = models.DateTimeField(_("next try"), default=timezone.now)
    error = models.TextField(_("error"), blank=True)
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    remote_id = models.CharField(_("remote post id"), max_length=200, blank=True)
    remote_url = models.URLField(_("remote post"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    history = models.JSONField(_("history"), default=list, blank=True)

    visits = models.PositiveIntegerField(_("visits"), default=0)
    signups = models.PositiveIntegerField(_("sign-ups"), default=0)

    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("own-media post")
        verbose_name_plural = _("own-media posts")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_try_at"], name="sharing_pa_due"),
            models.Index(fields=["object_kind", "object_id"], name="sharing_pa_object"),
        ]

    def __str__(self):
        return f"{self.title or self.url} → {self.account_label or self.platform}"

    @property
    def platform_obj(self):
        return registry.get(self.platform)

    @property
    def campaign(self):
        """The `utm_campaign` of this post's link."""
        return f"{app_settings.PUBLISH_UTM_CAMPAIGN_PREFIX}{self.pk}"

    def move_to(self, state, **fields):
        """Change the state (and `fields`), or ValueError for a move the state
        machine does not allow. The caller saves."""
        if state != self.state and state not in self.TRANSITIONS[self.state]:
            raise ValueError(f"A post cannot go from {self.state} to {state}")
        entry = {"at": timezone.now().isoformat(), "state": state}
        if fields.get("error"):
            entry["error"] = fields["error"][:300]
        self.history = [*self.history, entry][-50:]
        self.state = state
        for name, value in fields.items():
            setattr(self, name, value)

    @property
    def status_label(self):
        """The state as editors read it: queued ones are "scheduled" before
        their first try and "retrying" after a failed one."""
        if self.state == self.QUEUED:
            if self.tries:
                return _("retrying")
            if self.next_try_at and self.next_try_at > timezone.now():
                return _("scheduled")
        return self.get_state_display()

    @property
    def can_retry(self):
        return self.state in {self.FAILED, self.CANCELLED}

    @property
    def can_cancel(self):
        return self.state in {self.QUEUED, self.FAILED}
