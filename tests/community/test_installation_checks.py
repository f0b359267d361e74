import pytest
from django.apps import apps

from community.checks import (
    ACCOUNT_MIDDLEWARE,
    check_account_settings,
    check_installation,
)
from community.comments.checks import check_comments
from community.insights.checks import check_insights
from community.posts.checks import check_posts
from sharing.checks import check_installation as check_sharing_installation


def ids(errors):
    return [error.id for error in errors]


def test_a_complete_installation_passes():
    assert check_installation(None) == []
    assert check_account_settings(None) == []
    assert check_comments(None) == []
    assert check_posts(None) == []
    assert check_insights(None) == []
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
    errors = check_comments(None)
    assert ids(errors) == ["community_comments.E001"]
    assert "django_comments" in errors[0].msg


def test_boards_without_routable_pages_are_explained(monkeypatch):
    """Boards route to their posts: without wagtail.contrib.routable_page
    their templates fail with a TemplateSyntaxError, so the check says so."""
    without(monkeypatch, "wagtail.contrib.routable_page")
    errors = check_posts(None)
    assert ids(errors) == ["community_posts.E001"]
    assert "wagtail.contrib.routable_page" in errors[0].msg
    assert "routes to its posts" in errors[0].msg


@pytest.mark.parametrize(
    ("check", "missing", "expected"),
    [
        (check_comments, "community", "community_comments.E001"),
        (check_posts, "community.comments", "community_posts.E001"),
        (check_insights, "community.comments", "community_insights.E001"),
        (check_insights, "community.posts", "community_insights.E001"),
    ],
)
def test_each_app_says_which_apps_it_needs(monkeypatch, check, missing, expected):
    without(monkeypatch, missing)
    errors = check(None)
    assert ids(errors) == [expected]
    assert repr(missing) in errors[0].msg


def test_rate_limits_in_allauth_notation_are_checked(settings):
    settings.COMMUNITY_RATE_LIMITS = {"profile_update": "20 per minute"}
    settings.COMMUNITY_COMMENTS_RATE_LIMITS = {"comment": "5/m/user,x/h/ip"}
    settings.COMMUNITY_POSTS_RATE_LIMITS = {"post": "3/m/everyone"}
    assert ids(check_account_settings(None)) == ["community.E102"]
    assert ids(check_comments(None)) == ["community_comments.E202"]
    assert ids(check_posts(None)) == ["community_posts.E002"]
