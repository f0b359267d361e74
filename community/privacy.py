"""What the site holds about a member: "Download my data" and "Delete my account".

Every app that keeps something about members registers a section, in its
``AppConfig.ready()``::

    from community import privacy

    class CommentsData(privacy.Section):
        name = "comments"

        def export(self, user):          # -> anything json.dumps can write
            return [...]

        def erase(self, user, mode):     # mode: "anonymise" or "remove"
            ...                          # -> names of files to delete, or None

    privacy.register(CommentsData())

`erase` runs inside the deletion's transaction, before the user row goes; with
"anonymise" it keeps the content but removes every link to the person (author
name, e-mail, IP address, user agent, the user foreign key), with "remove" it
deletes the content. The files it names are deleted after the commit. The
`account_deleting` signal is sent at the same moment for code that prefers
signals.
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from wagtail.models import ModelLogEntry

from community import app_settings
from community.images import delete_files
from community.models import Profile

account_deleting = Signal()  # sender=User model, user=..., mode=...

DELETE_MODES = ("anonymise", "remove")


class Section:
    """What one app holds about members. `name` is the key of its part of the
    export."""

    name = ""

    def export(self, user):
        raise NotImplementedError

    def erase(self, user, mode):
        """Removes or anonymises what `user` made; returns the names of files
        (in the default storage) to delete after the commit, or None."""


class PrivacyRegistry:
    def __init__(self):
        self._sections = {}

    def register(self, name, section):
        """`section` has `export(user)` and, if it holds content the member
        wrote, `erase(user, mode)`."""
        self._sections[name] = section
        return section

    def unregister(self, name):
        self._sections.pop(name, None)

    def __iter__(self):
        return iter(self._sections.items())

    def __contains__(self, name):
        return name in self._sections


privacy_registry = PrivacyRegistry()


def register(section, name=None):
    """Adds `section` (a `Section`) to the export and the deletion, under
    `name` (default: `section.name`)."""
    return privacy_registry.register(name or section.name, section)


def export_user_data(user):
    """Everything the site holds about `user`, as a JSON-ready dict."""
    data = {
        "format": "socialsite-member-export/1",
        "exported_at": timezone.now().isoformat(),
    }
    for name, section in privacy_registry:
        data[name] = section.export(user)
    return data


def delete_account(user):
    """Remove `user` and everything personal about them, in one transaction.
    What they wrote is erased or anonymised per COMMUNITY_DELETED_ACCOUNT_CONTENT."""
    mode = app_settings.DELETED_ACCOUNT_CONTENT
    files = []
    with transaction.atomic():
        account_deleting.send(sender=type(user), user=user, mode=mode)
        for _name, section in privacy_registry:
            erase = getattr(section, "erase", None)
            if erase is not None:
                files += erase(user, mode) or []
        user.delete()
        transaction.on_commit(lambda: delete_files(files))


# The sections the community app itself holds.

SECRET_KEYS = {
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "token_secret",
    "oauth_token",
    "oauth_token_secret",
    "secret",
    "code",
}


def strip_secrets(value):
    if isinstance(value, dict):
        return {
            key: strip_secrets(item)
            for key, item in value.items()
            if str(key).lower() not in SECRET_KEYS
        }
    if isinstance(value, list):
        return [strip_secrets(item) for item in value]
    return value


class AccountData(Section):
    name = "account"

    def export(self, user):
        return {
            "username": user.get_username(),
            "email": user.email,
            "first_name": getattr(user, "first_name", ""),
            "last_name": getattr(user, "last_name", ""),
            "date_joined": iso(getattr(user, "date_joined", None)),
            "last_login": iso(user.last_login),
            "is_active": user.is_active,
        }


class EmailAddressData(Section):
    name = "email_addresses"

    def export(self, user):
        return [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ]


class SocialAccountData(Section):
    name = "social_accounts"

    def export(self, user):
        return [
            {
                "provider": account.provider,
                "uid": account.uid,
                "date_joined": iso(account.date_joined),
                "last_login": iso(account.last_login),
                "extra_data": strip_secrets(account.extra_data),
            }
            for account in SocialAccount.objects.filter(user=user).order_by("pk")
        ]


class ProfileData(Section):
    name = "profile"

    def export(self, user):
        profile = Profile.objects.filter(user=user).first()
        if profile is None:
            return None
        return {
            "display_name": profile.display_name,
            "bio": profile.bio,
            "region": profile.region,
            "interests": sorted(profile.interests.names()),
            "avatar": profile.avatar.url if profile.avatar else None,
            "picture_url": profile.picture_url,
            "created_at": iso(profile.created_at),
            "suspended_at": iso(profile.suspended_at),
            "suspension_reason": profile.suspension_reason,
        }

    def erase(self, user, mode):
        profile = Profile.objects.filter(user=user).first()
        if profile is None:
            return []
        # The admin's history of this profile names the member.
        ModelLogEntry.objects.for_instance(profile).delete()
        return profile.avatar_files()


def iso(value):
    return value.isoformat() if value else None


def register_builtin_sections():
    for section in (
        AccountData(),
        EmailAddressData(),
        SocialAccountData(),
        ProfileData(),
    ):
        register(section)
