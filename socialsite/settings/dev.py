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

# Social sign-in works offline: WeChat, QQ, Weibo and an OpenID Connect
# provider sign in at imitation servers under /sandbox-oauth/ (README, "Social
# sign-in in the demo"), unless real keys are in the environment (base.py) or
# SOCIAL_LOGIN_SANDBOX=false.
SOCIAL_LOGIN_SANDBOX = env_bool(
    "SOCIAL_LOGIN_SANDBOX",
    not any(os.environ.get(names[0]) for names in SOCIAL_LOGIN_KEYS.values()),
)
if SOCIAL_LOGIN_SANDBOX:
    INSTALLED_APPS = [*INSTALLED_APPS, "socialsite.sandbox"]
    SOCIALACCOUNT_ADAPTER = "socialsite.sandbox.adapter.SandboxSocialAccountAdapter"
    # Publishing to own media goes to the sandbox's imitation Weibo, WeChat
    # and Mastodon (socialsite/sandbox/publishing.py, docs/sharing.md).
    SHARING_PUBLISH_SESSION = "socialsite.sandbox.publishing.session"
    _sandbox_publish = f"{WAGTAILADMIN_BASE_URL.rstrip('/')}/sandbox-oauth/publish"
    SHARING_PUBLISH_API_BASES = {
        "weibo": f"{_sandbox_publish}/weibo",
        "wechat": f"{_sandbox_publish}/wechat",
    }
    SHARING_PUBLISH_POST_URLS = {
        "weibo": _sandbox_publish + "/weibo/{user}/{id}/",
        "wechat": _sandbox_publish + "/wechat/drafts/{id}/",
    }

if SOCIAL_LOGIN_SANDBOX:
    # Listening fetches its demo sources from the sandbox's imitation news
    # feed and Mastodon (socialsite/sandbox/listening.py, docs/insights.md).
    COMMUNITY_INSIGHTS_FETCH_SESSION = "socialsite.sandbox.listening.session"

try:
    from .local import *  # noqa: F403
except ImportError:
    pass
