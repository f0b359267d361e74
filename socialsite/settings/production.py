"""Production profile: PostgreSQL (DATABASE_URL), Redis (REDIS_URL), gunicorn,
whitenoise for static files, the database task worker (manage.py db_worker).

Required environment: SECRET_KEY, ALLOWED_HOSTS. See README, "Production".
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable.")
if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS to the site's host names, comma-separated."
    )

DATABASES["default"]["CONN_MAX_AGE"] = int(
    os.environ.get("DATABASE_CONN_MAX_AGE", "60")
)

STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# HTTPS everywhere. Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER
# via the environment (SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO).
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Apps that sign members in through the API (OAuth 2) come back to https
# addresses, or to their own URI schemes listed in OAUTH2_REDIRECT_SCHEMES
# (comma-separated, e.g. "com.example.tea"); never to plain http.
OAUTH2_PROVIDER = {
    **OAUTH2_PROVIDER,  # noqa: F405
    "ALLOWED_REDIRECT_URI_SCHEMES": [
        "https",
        *(
            scheme.strip()
            for scheme in os.environ.get("OAUTH2_REDIRECT_SCHEMES", "").split(",")
            if scheme.strip() and scheme.strip() != "http"
        ),
    ],
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
}
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", True)

# Redis down: the cache misses instead of failing the request (pages render,
# sessions are read from the database, rate limits let requests through; the
# share counters fall back to the database on their own), and the errors are
# logged.
if REDIS_URL:
    CACHES["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] = env_bool(
        "CACHE_IGNORE_EXCEPTIONS", True
    )
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Anonymous pages come from the page cache (docs/production.md), which every
# worker must share: Redis. Without REDIS_URL pages are rendered every time.
SHARING_PAGE_CACHE = bool(REDIS_URL)

# The social-login sandbox is for development only: asked for here, it fails
# the system checks (socialsite.E001). Real keys: see docs/accounts.md.
SOCIAL_LOGIN_SANDBOX = env_bool("SOCIAL_LOGIN_SANDBOX", False)
SOCIAL_LOGIN_SANDBOX_ALLOWED = False

# Background work runs in `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Several machines (docs/production.md, "Several machines"; deploy/) ------
# Each part is switched on by its environment variables; without them this is
# the one-machine profile above.

# Media on S3-compatible object storage (django-storages): uploads, avatar and
# picture renditions all go through default_storage.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Public, unsigned URLs: pages that show them can be cached.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "url_protocol": os.environ.get("AWS_S3_URL_PROTOCOL", "https:"),
            "file_overwrite": False,
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
            "object_parameters": {
                "CacheControl": os.environ.get(
                    "AWS_S3_CACHE_CONTROL", "public, max-age=31536000"
                )
            },
        },
    }
    # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are read by boto3 itself (or
    # the instance's role).
    # Pages show pictures from the bucket's address (or its CDN's).
    _media = STORAGES["default"]["OPTIONS"]
    _media_origin = (
        f"{_media['url_protocol']}//{_media['custom_domain']}"
        if _media["custom_domain"]
        else (_media["endpoint_url"] or "https://*.amazonaws.com")
    )
    for _policy in (
        CONTENT_SECURITY_POLICY["DIRECTIVES"],
        ADMIN_CONTENT_SECURITY_POLICY,
    ):
        _policy["img-src"] = [*_policy["img-src"], _media_origin]

# A streaming read replica for the insights reports and exports
# (socialsite.dbrouter): back to the primary when it is down or lagging.
if os.environ.get("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["REPLICA_DATABASE_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["socialsite.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "socialsite.dbrouter.ReplicaReadMiddleware",
    )
    REPLICA_MAX_LAG = float(os.environ.get("REPLICA_MAX_LAG", "30"))
    REPLICA_CHECK_INTERVAL = float(os.environ.get("REPLICA_CHECK_INTERVAL", "5"))
    REPLICA_DEBUG_HEADER = env_bool("REPLICA_DEBUG_HEADER", False)

# Background tasks: TASKS_BACKEND=rq puts them on a Redis queue (RQ,
# TASKS_REDIS_URL, else REDIS_URL) that `manage.py rqworker --job-class
# django_tasks_rq.Job --worker-class socialsite.rq.Worker --worker-ttl 45
# --with-scheduler default` processes run (socialsite.rq); the default stays
# the database queue of `manage.py db_worker`.
if os.environ.get("TASKS_BACKEND", "database") == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get("TASKS_REDIS_URL") or REDIS_URL,
            "DEFAULT_TIMEOUT": 600,
        }
    }
    TASKS = {"default": {"BACKEND": "socialsite.rq.RQBackend", "QUEUES": ["default"]}}
elif os.environ.get("TASKS_BACKEND") == "immediate":
    # One-off commands (loading data) that should not fill the queue.
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif os.environ.get("TASKS_BACKEND", "database") != "database":
    raise ImproperlyConfigured(
        "TASKS_BACKEND is 'database' (default), 'rq' or 'immediate'."
    )

# A CDN or edge cache in front, purged through Wagtail's frontend cache
# whenever the page cache takes a page out (docs/production.md, "CDN").
WAGTAILFRONTENDCACHE = {}
if os.environ.get("WAGTAILFRONTENDCACHE_HTTP_LOCATION"):  # Varnish, nginx...
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["WAGTAILFRONTENDCACHE_HTTP_LOCATION"],
    }
if os.environ.get("WAGTAILFRONTENDCACHE_CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["WAGTAILFRONTENDCACHE_CLOUDFLARE_ZONEID"],
        "BEARER_TOKEN": os.environ.get("WAGTAILFRONTENDCACHE_CLOUDFLARE_TOKEN", ""),
    }
if os.environ.get("WAGTAILFRONTENDCACHE_CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ[
            "WAGTAILFRONTENDCACHE_CLOUDFRONT_DISTRIBUTION_ID"
        ],
    }
# The page cache hands over exact URLs, each in its language.
WAGTAILFRONTENDCACHE_LANGUAGES = []

LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")
