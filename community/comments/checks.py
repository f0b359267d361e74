"""System checks of the comments app."""

from django.conf import settings
from django.core import checks
from wagtail.models import get_page_models

from community.checks import check_rates, require_apps
from community.comments import app_settings
from community.comments.models import CommentsMixin

NEEDED = [
    ("community", "comments are written by community members"),
    ("django_comments_xtd", "comments are django-comments-xtd's threaded comments"),
    ("django_comments", "django-comments-xtd builds on django-contrib-comments"),
]
EXPECTED_SETTINGS = {
    "COMMENTS_APP": "django_comments_xtd",
    "COMMENTS_XTD_MODEL": "community.comments.models.Comment",
    "COMMENTS_XTD_FORM_CLASS": "community.comments.forms.CommentForm",
}


@checks.register(checks.Tags.compatibility)
def check_comments(app_configs, **kwargs):
    """Comments need comments-xtd set up with the community's model and form,
    and readable rate limits."""
    errors = require_apps(NEEDED, "community.comments", "community_comments.E001")
    for name, value in EXPECTED_SETTINGS.items():
        if getattr(settings, name, None) != value:
            errors.append(
                checks.Error(
                    f"{name} must be {value!r} for community comments.",
                    hint=f"Set {name} = {value!r} in your settings.",
                    id="community_comments.E201",
                )
            )
    max_age = app_settings.UNFOLLOW_LINK_MAX_AGE
    if max_age is not None and (
        isinstance(max_age, bool)
        or not isinstance(max_age, int | float)
        or max_age <= 0
    ):
        errors.append(
            checks.Error(
                "COMMUNITY_COMMENTS_UNFOLLOW_LINK_MAX_AGE must be a number of "
                "seconds above 0, or None.",
                id="community_comments.E203",
            )
        )
    errors += check_rates(
        app_settings.RATE_LIMITS,
        "COMMUNITY_COMMENTS_RATE_LIMITS",
        "community_comments.E202",
    )
    return errors


@checks.register(checks.Tags.models)
def check_page_panels(app_configs, **kwargs):
    """A commentable page type whose editor shows neither switch (it set its
    own settings_panels without the mixin's)."""
    warnings = []
    for model in get_page_models():
        if not issubclass(model, CommentsMixin) or model._meta.abstract:
            continue
        fields = model.get_edit_handler().get_form_options().get("fields", [])
        missing = [f for f in ("allow_comments", "show_comments") if f not in fields]
        if missing:
            warnings.append(
                checks.Warning(
                    f"{model._meta.label}: editors cannot set "
                    f"{', '.join(missing)} (its panels leave them out).",
                    hint="Add CommentsMixin.comments_panels to its settings_panels,"
                    " e.g. settings_panels = Page.settings_panels"
                    " + CommentsMixin.comments_panels.",
                    obj=model,
                    id="community_comments.W010",
                )
            )
    return warnings
