"""allauth adapters: the hooks where sign-up creates the member's profile,
and where allauth's e-mails get their links and the site's name from the
Wagtail Site (`community.sites`), not from django.contrib.sites."""

from urllib.parse import quote

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_field, user_username
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.apps import apps
from django.http import Http404
from django.urls import reverse
from django.utils.module_loading import import_string

from community.accounts import create_profile
from community.fetch import picture_url
from community.sites import SiteInfo, absolute_url, on_site_root, site_name

NAME_KEYS = ("name", "nickname", "screen_name", "display_name", "login", "username")
PICTURE_KEYS = (
    "picture",
    "avatar_url",
    "headimgurl",
    "figureurl_qq_2",
    "profile_image_url",
    "avatar_hd",
    "avatar_large",
)


def provider_data(sociallogin):
    """The provider's profile as one flat dict (OpenID Connect nests it under
    "userinfo" and "id_token")."""
    data = dict(sociallogin.account.extra_data or {})
    for nested in ("id_token", "userinfo"):
        if isinstance(data.get(nested), dict):
            data = {**data, **data[nested]}
    return data


def provider_display_name(sociallogin):
    data = provider_data(sociallogin)
    for key in NAME_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:50]
    return ""


def provider_picture_url(sociallogin):
    """The social account's picture URL when it is on a host the settings
    allow (COMMUNITY_PROVIDER_PICTURE_HOSTS), else "": the picture is copied
    by the server, which must not be sent to any address a provider's user
    typed in (see community.fetch)."""
    account = sociallogin.account
    try:
        url = account.get_provider_account().get_avatar_url()
    except Exception:  # noqa: BLE001 - a provider without pictures
        url = None
    data = provider_data(sociallogin)
    for key in PICTURE_KEYS:
        if url:
            break
        value = data.get(key)
        url = value if isinstance(value, str) else None
    url = picture_url(url) if url else ""
    return url if len(url) <= 500 else ""


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Asked by every sign-up page (e-mail and social): the moment to
        remember which own-media post the visitor came from (the link's
        utm_campaign, or the page they came from), so that the sign-up
        counts for that post (`sharing.publishing`)."""
        if (
            request is not None
            and request.method == "GET"
            and apps.is_installed("sharing")
        ):
            # Looked up, not imported: community works without sharing
            # installed, and sharing's models exist only when it is.
            import_string("sharing.publishing.remember_campaign")(request)
        return super().is_open_for_signup(request)

    def format_email_subject(self, subject):
        """The subject starts with the Wagtail Site's name ("[Cloudmist Tea]"),
        not django.contrib.sites' "example.com"."""
        if account_settings.EMAIL_SUBJECT_PREFIX is not None:
            return super().format_email_subject(subject)
        return f"[{site_name(allauth_context.request)}] {subject}"

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails name the Wagtail Site (`current_site.name`), and
        their links start with its root URL, also those allauth built on the
        request's host."""
        request = allauth_context.request
        context = {
            key: (
                on_site_root(value, request)
                if key.endswith("_url") and isinstance(value, str)
                else value
            )
            for key, value in context.items()
        }
        context["current_site"] = SiteInfo.for_request(request)
        super().send_mail(template_prefix, email, context)

    def get_email_confirmation_url(self, request, emailconfirmation):
        path = reverse("account_confirm_email", args=[emailconfirmation.key])
        return absolute_url(path, request)

    def get_reset_password_from_key_url(self, key):
        path = reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"}
        ).replace("UID-KEY", quote(key))
        return absolute_url(path, self.request)

    def populate_username(self, request, user):
        """Usernames appear in public profile URLs: never make one from the
        e-mail address (allauth's default), which would publish part of it."""

        if account_settings.USER_MODEL_USERNAME_FIELD and not user_username(user):
            names = [user_field(user, "first_name"), user_field(user, "last_name")]
            user_username(user, self.generate_unique_username([*names, "member"]))


class ProviderNotConfigured(SocialApp.DoesNotExist, Http404):
    """No app is configured for a provider whose login URL someone asked
    for: a 404 for them, and still SocialApp.DoesNotExist for code that
    handles that (allauth's OpenID Connect views do)."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_app(self, request, provider, client_id=None):
        # Every installed provider has a login URL anyone may ask for; those
        # the site has not configured answer 404, not a server error.
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as error:
            raise ProviderNotConfigured(str(provider)) from error

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)

        create_profile(
            user,
            display_name=provider_display_name(sociallogin),
            picture_url=provider_picture_url(sociallogin),
        )
        return user
