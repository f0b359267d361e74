from django.apps import apps

from community.checks import ACCOUNT_MIDDLEWARE, check_installation
from sharing.checks import check_installation as check_sharing_installation


def ids(errors):
    return [error.id for error in errors]


def test_a_complete_installation_passes():
    assert check_installation(None) == []
    assert check_sharing_installation(None) == []


def without(monkeypatch, missing):
    """The app registry as if `missing` were not in INSTALLED_APPS."""
    installed = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != missing and installed(name)
    )


def test_missing_sites_app_is_explained(monkeypatch):
    without(monkeypatch, "django.contrib.sites")
    errors = check_installation(None)
    assert ids(errors) == ["community.E001"]
    assert "django.contrib.sites" in errors[0].msg
    assert 'Add "django.contrib.sites" to INSTALLED_APPS' in errors[0].hint


def test_missing_allauth_middleware_is_explained(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != ACCOUNT_MIDDLEWARE]
    errors = check_installation(None)
    assert ids(errors) == ["community.E002"]
    assert ACCOUNT_MIDDLEWARE in errors[0].hint


def test_optional_email_verification_is_a_warning(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    assert ids(check_installation(None)) == ["community.W001"]


def test_sharing_needs_wagtail_settings(monkeypatch):
    without(monkeypatch, "wagtail.contrib.settings")
    errors = check_sharing_installation(None)
    assert ids(errors) == ["sharing.E010"]


def test_comments_xtd_without_django_comments_is_explained(monkeypatch):
    without(monkeypatch, "django_comments")
    assert ids(check_installation(None)) == ["community.E003"]
