"""Settings shared by every profile. Everything that differs between machines
comes from the environment (see README, "Configuration")."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Forms of cached pages sent without JavaScript carry no token: the page
# cache's failure view lets the visitor send them again (docs/production.md).
CSRF_FAILURE_VIEW = "sharing.pagecache.views.csrf_failure"

INSTALLED_APPS = [
    # The demo company site.
    "socialsite.website",
    # The reusable Socialsite apps.
    "community",
    "community.comments",
    "community.posts",
    "community.campaigns",
    "community.insights",
    "community.events",
    "community.api",
    "sharing",
    # Wagtail.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    # Social login providers: a button shows once the provider is configured
    # (a Social application in /django-admin/ or SOCIALACCOUNT_PROVIDERS).
    "community.providers.wechat",
    "community.providers.qq",
    "community.providers.weibo",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.twitter_oauth2",
    "allauth.socialaccount.providers.apple",
    "allauth.socialaccount.providers.openid_connect",
    "django_tasks",
    "django_tasks_db",
    # The community API (community.api): REST framework, its OpenAPI schema and
    # docs page (static files from the sidecar, no CDN), OAuth 2 for apps.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    # Comments (django-comments-xtd on django-contrib-comments).
    "django_comments_xtd",
    "django_comments",
    # Django.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Visits through members' personal share links (campaigns), cached
    # pages included: before the page cache.
    "community.campaigns.referrals.ReferralMiddleware",
    # Anonymous visitors' pages from the cache (docs/production.md): before
    # everything a cached page does not need, after the static files.
    "sharing.pagecache.middleware.PageCacheMiddleware",
    "socialsite.middleware.ContentSecurityPolicyMiddleware",
    "socialsite.middleware.PermissionsPolicyMiddleware",
    # Allows WeChat's JS-SDK script only where the sharing app uses it.
    "sharing.middleware.WeChatJSSDKMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "socialsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "community.context_processors.community",
            ],
        },
    },
]

WSGI_APPLICATION = "socialsite.wsgi.application"

# Database: DATABASE_URL, or a SQLite file in the project folder.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; the busy timeout makes
    # concurrent writers wait instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "socialsite"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English and Simplified Chinese, for the interface
# (gettext) and the content (Wagtail's page trees per locale).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# Static files and media.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Let Django serve media files itself (development and tests only).
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", BASE_DIR / "media" / "mail")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Cloudmist Tea <hello@cloudmist.example>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

SITE_ID = 1

# Accounts (django-allauth): visitors sign in with their e-mail address or a
# social account; an e-mail address must be verified before they take part.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
# Accounts, continued (community app, issue 4): profiles on sign-up, rate
# limits, safe social login, client IPs only from declared proxies.
ACCOUNT_ADAPTER = "community.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "community.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# A social login never signs in to (or connects with) an existing account
# because the e-mail addresses match: the visitor signs in and connects.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS = {
    "weixin": {"SCOPE": ["snsapi_login"]},
    "github": {"SCOPE": ["read:user", "user:email"]},
    "google": {"SCOPE": ["profile", "email"]},
}
# Keys of the China-market providers and of one OpenID Connect provider from
# the environment (docs/accounts.md): each one set signs in at the real
# service. Without any, dev.py serves the social-login sandbox instead.
SOCIAL_LOGIN_KEYS = {
    "weixin": ("WECHAT_APP_ID", "WECHAT_APP_SECRET"),
    "qq": ("QQ_APP_ID", "QQ_APP_KEY"),
    "weibo": ("WEIBO_APP_KEY", "WEIBO_APP_SECRET"),
    "openid_connect": ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"),
}
for _provider, (_id_name, _secret_name) in SOCIAL_LOGIN_KEYS.items():
    if not os.environ.get(_id_name):
        continue
    _app = {"client_id": os.environ[_id_name], "secret": os.environ.get(_secret_name)}
    if _provider == "openid_connect":
        if not os.environ.get("OIDC_SERVER_URL"):
            raise ImproperlyConfigured("Set OIDC_SERVER_URL with OIDC_CLIENT_ID.")
        _app.update(
            provider_id=os.environ.get("OIDC_PROVIDER_ID", "openid"),
            name=os.environ.get("OIDC_NAME", "OpenID Connect"),
            settings={
                "server_url": os.environ["OIDC_SERVER_URL"],
                "oauth_pkce_enabled": True,
            },
        )
    SOCIALACCOUNT_PROVIDERS.setdefault(_provider, {})["APPS"] = [_app]
# The sandbox of imitation WeChat, QQ, Weibo and OpenID Connect servers
# (socialsite.sandbox): dev.py turns it on; production.py refuses it.
SOCIAL_LOGIN_SANDBOX = False
SOCIAL_LOGIN_SANDBOX_ALLOWED = True
# Behind a reverse proxy, how many proxies append to X-Forwarded-For (or the one
# header the proxy sets to the client IP). Unset: REMOTE_ADDR, headers ignored.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = (
    os.environ.get("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") or None
)
# What happens to a deleted member's comments and posts: "anonymise" or "remove".
COMMUNITY_DELETED_ACCOUNT_CONTENT = os.environ.get(
    "COMMUNITY_DELETED_ACCOUNT_CONTENT", "anonymise"
)

# Comments: django-comments-xtd with the community app's comment model, three
# levels of replies; anonymous comments are off (COMMUNITY_COMMENTS_ALLOW_ANONYMOUS)
# and, when on, confirmed by e-mail. See docs/comments.md.
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "community.comments.models.Comment"
COMMENTS_XTD_FORM_CLASS = "community.comments.forms.CommentForm"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2  # 0-based: top level + 2 levels of replies
COMMENTS_XTD_CONFIRM_EMAIL = True
COMMENTS_XTD_THREADED_EMAILS = False

# Community boards (issue 6): posts may link to (and review) product pages;
# posts are shareable through the sharing app. See README, "Community boards".
COMMUNITY_POSTS_PRODUCT_MODELS = ["website.productpage"]
SHARING_SHAREABLES = {
    "page": "sharing.shareables.resolve_page",
    "post": "community.posts.share.resolve_post",
}
# templates/base.html makes <html> a schema.org WebPage item, so the itemprop
# tags QQ's link previews read are valid there.
SHARING_ITEMPROP_META = True

# Background tasks (django-tasks): run at once unless a profile says otherwise.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Content Security Policy (django-csp): everything is served from the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# The Wagtail and Django admins still rely on inline styles and scripts
# (docs/security.md says which and why); no 'unsafe-eval'.
ADMIN_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "connect-src": ["'self'"],
}
ADMIN_URL_PREFIXES = ("/admin/", "/django-admin/")
X_FRAME_OPTIONS = "DENY"

# Permissions-Policy (socialsite.middleware): browser features the site does not
# use are off, for its pages and anything they embed. A view that needs one
# allows it on its own response (response._permissions_policy_update =
# {"camera": ["self"]}, e.g. a check-in page scanning tickets). Features that
# embedded videos use (autoplay, fullscreen, picture-in-picture,
# encrypted-media) are left to the browser's defaults.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
}

# Wagtail.
WAGTAIL_SITE_NAME = "Cloudmist Tea"
# No Gravatar: editors' e-mail hashes are not sent to a third party (and the
# admin's CSP allows images from the site only).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The admin does not ask releases.wagtail.org for new versions (no call home).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "webp", "heic": "jpeg"}
WAGTAILFORMS_ADMIN_SUBMISSIONS_LISTING_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "socialsite": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        "community": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        "sharing": {"level": os.environ.get("LOG_LEVEL", "INFO")},
    },
}

# The community API (docs/api.md): its OpenAPI schema is drf-spectacular's.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
# Apps sign members in through the site's own sign-in (OAuth 2 authorization
# code with PKCE) and get these scopes.
OAUTH2_PROVIDER = {
    "SCOPES": {
        "read": "Read the site's content and your own account",
        "write:comments": "Write comments in your name",
        "write:posts": "Write community posts in your name",
        "write:likes": "Like and unlike posts and comments in your name",
        "write:votes": "Vote in contests in your name",
        "write:registrations": "Register you for events and cancel registrations",
    },
    "DEFAULT_SCOPES": ["read"],
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    # The OAuth 2.0 Security BCP (RFC 9700): no implicit or password grant,
    # S256 PKCE only, tokens in headers only, `iss` in the answer, tokens
    # hashed at rest, a replayed refresh token revokes its family.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
# The API's schema (and drf-spectacular's deploy check) covers the API of
# community.api alone, not Wagtail's admin API.
SPECTACULAR_SETTINGS = {"PREPROCESSING_HOOKS": ["community.api.views.only_this_api"]}
