"""System checks of the page cache's settings (imported in the app's ready())."""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from .. import app_settings
from . import MIDDLEWARE

#: The middleware a hit skips: the page cache must come before them.
LATER_MIDDLEWARE = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
)

#: A comment form's timestamp is refused after two hours: a page, or a CDN's
#: copy, must not live that long.
LONGEST = 3600


def _seconds(value, least):
    return not isinstance(value, bool) and isinstance(value, int) and value >= least


@checks.register()
def check_page_cache(app_configs, **kwargs):
    if MIDDLEWARE not in settings.MIDDLEWARE or not app_settings.PAGE_CACHE:
        return []
    errors = []
    middleware = list(settings.MIDDLEWARE)
    position = middleware.index(MIDDLEWARE)
    before = [
        name
        for name in LATER_MIDDLEWARE
        if name in middleware and middleware.index(name) < position
    ]
    if before:
        errors.append(
            checks.Error(
                f"{MIDDLEWARE} comes after {', '.join(before)}.",
                hint="Put it right after WhiteNoise (or SecurityMiddleware): "
                "before the session, locale, CSRF, authentication and "
                "messages middleware.",
                id="sharing.E030",
            )
        )
    if app_settings.PAGE_CACHE_ALIAS not in settings.CACHES:
        errors.append(
            checks.Error(
                f"SHARING_PAGE_CACHE_ALIAS names {app_settings.PAGE_CACHE_ALIAS!r}, "
                "which is not in CACHES.",
                id="sharing.E031",
            )
        )
    for name, least in (("TIMEOUT", 1), ("MAX_AGE", 0), ("S_MAXAGE", 0)):
        value = getattr(app_settings, f"PAGE_CACHE_{name}")
        if not _seconds(value, least):
            errors.append(
                checks.Error(
                    f"SHARING_PAGE_CACHE_{name} must be a whole number of "
                    f"seconds, {least} or more (it is {value!r}).",
                    id="sharing.E032",
                )
            )
        elif value > LONGEST:
            errors.append(
                checks.Warning(
                    f"SHARING_PAGE_CACHE_{name} is more than an hour.",
                    hint="Comment forms on cached pages expire after two hours: "
                    "keep pages in caches for an hour at most.",
                    id="sharing.W030",
                )
            )
    for path in app_settings.PAGE_CACHE_VARIANTS:
        try:
            import_string(path)
        except ImportError as error:
            errors.append(
                checks.Error(
                    f"SHARING_PAGE_CACHE_VARIANTS: cannot import {path!r} ({error}).",
                    id="sharing.E033",
                )
            )
    backend = settings.CACHES.get(app_settings.PAGE_CACHE_ALIAS, {}).get("BACKEND", "")
    if backend.endswith("LocMemCache") and not settings.DEBUG:
        errors.append(
            checks.Warning(
                "The page cache is in local memory: each process has its own, and "
                "a change takes a page out of one process's cache only.",
                hint="Use Redis (django-redis) for SHARING_PAGE_CACHE_ALIAS in "
                "production; local memory is for development and tests.",
                id="sharing.W031",
            )
        )
    return errors
