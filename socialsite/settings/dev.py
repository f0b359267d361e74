from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "django-insecure-socialsite-development-only"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Static files straight from the apps' folders, without collectstatic, also
# when DEBUG is off.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

try:
    from .local import *  # noqa: F403
except ImportError:
    pass
