"""What every page of a site shows of its sharing settings, cached: the share
buttons of each language, whether to show share counts, whether WeChat's
JS-SDK is configured, the own-media accounts ("follow us" in the footer,
follow blocks) and the default picture of link previews. Built once per
site and language, kept in SHARING_CACHE_ALIAS and on the request, so that a
page costs no query for them.

Saving the sharing settings (their accounts and button sets are saved with
them), a site or an image (an account's QR code) retires every snapshot
(`sharing.generations`); connected in SharingConfig.ready()."""

from dataclasses import dataclass

from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Site

from .generations import Generation
from .models import OwnMediaAccount, ShareButtonSet, SharingSettings
from .registry import registry

GENERATION = Generation("sharing:site")

#: Seconds a snapshot lives at most (changes retire it before).
TIMEOUT = 24 * 60 * 60

#: The attribute of a request that keeps its snapshot.
REQUEST_ATTRIBUTE = "_sharing_site_data"

#: The account fields that stay out of the snapshot.
SECRET_FIELDS = ("client_secret", "access_token", "refresh_token")


@dataclass(frozen=True)
class SiteSharing:
    """A site's sharing settings as its pages in one language show them."""

    site_id: int | None
    platform_ids: tuple
    show_share_count: bool
    wechat_configured: bool
    accounts: tuple
    #: The picture of link previews of pages without one (an Image or None).
    default_share_image: object = None

    def share_platforms(self):
        """The Platform objects of the share buttons, in the editors' order."""
        platforms = (registry.get(platform_id) for platform_id in self.platform_ids)
        return [platform for platform in platforms if platform and platform.can_share]

    def follow_accounts(self):
        """The own-media accounts whose platform is registered and can be
        followed (not the publishing-only ones, like a webhook)."""
        return [
            account
            for account in self.accounts
            if account.platform_obj and account.platform_obj.can_follow
        ]


def for_request(request):
    """The snapshot of the request's site (without a request, the default
    site's) in the active language: from the request after the first call,
    else from the cache, else built."""
    language = translation.get_language() or ""
    data = getattr(request, REQUEST_ATTRIBUTE, None)
    if data is not None and data[0] == language:
        return data[1]
    if request is None:
        site = Site.objects.filter(is_default_site=True).first()
    else:
        site = Site.find_for_request(request)
    site_id = site.pk if site is not None else None
    snapshot = GENERATION.get(
        f"{site_id}:{language}", lambda: build(site, language), TIMEOUT
    )
    if request is not None:
        setattr(request, REQUEST_ATTRIBUTE, (language, snapshot))
    return snapshot


def build(site, language):
    if site is None:
        return SiteSharing(None, (), False, False, ())
    settings = SharingSettings.for_site(site)
    platforms = settings.share_platform_list(language)
    accounts = (
        OwnMediaAccount.objects.filter(settings_id=settings.pk)
        .select_related("qr_image")
        # Never the publishing secrets: the snapshot goes into the cache.
        .defer(*SECRET_FIELDS)
        .order_by("sort_order")
        if settings.pk
        else []
    )
    return SiteSharing(
        site_id=site.pk,
        platform_ids=tuple(platform.id for platform in platforms),
        show_share_count=settings.show_share_count,
        wechat_configured=settings.wechat_configured,
        accounts=tuple(accounts),
        default_share_image=settings.default_share_image,
    )


def connect_signals():
    """Called by the app's ready()."""
    uid = "sharing.sitedata"
    models = (
        SharingSettings,
        OwnMediaAccount,
        ShareButtonSet,
        Site,
        get_image_model(),
    )
    for model in models:
        post_save.connect(GENERATION.bump, sender=model, dispatch_uid=uid)
        post_delete.connect(GENERATION.bump, sender=model, dispatch_uid=uid)
    setting_changed.connect(on_setting_changed, dispatch_uid=uid)


def on_setting_changed(setting, **kwargs):
    """The default share buttons are settings (changed by tests)."""
    if setting.startswith("SHARING_"):
        GENERATION.renew()
