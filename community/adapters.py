"""allauth adapters: the hooks where sign-up creates the member's profile."""

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_field, user_username
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from community.accounts import create_profile
from community.fetch import picture_url

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
    def populate_username(self, request, user):
        """Usernames appear in public profile URLs: never make one from the
        e-mail address (allauth's default), which would publish part of it."""

        if account_settings.USER_MODEL_USERNAME_FIELD and not user_username(user):
            names = [user_field(user, "first_name"), user_field(user, "last_name")]
            user_username(user, self.generate_unique_username([*names, "member"]))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)

        create_profile(
            user,
            display_name=provider_display_name(sociallogin),
            picture_url=provider_picture_url(sociallogin),
        )
        return user
