import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "socialsite-test-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A folder of each test process's own (tests/dbtemplates.py names the one its
# template builds write to).
MEDIA_ROOT = Path(
    os.environ.get("SOCIALSITE_TEST_MEDIA_ROOT")
    or tempfile.mkdtemp(prefix="socialsite-test-media-")
)
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# A page model of the reusable apps' own, so their tests need no demo pages.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
# The social-login sandbox's URLs and templates, answering only where a test
# turns SOCIAL_LOGIN_SANDBOX on (tests/socialsite/sandbox).
INSTALLED_APPS += ["socialsite.sandbox"]
if REDIS_URL:
    # Keep test runs from reading each other's (or a dev server's) keys.
    CACHES["default"]["KEY_PREFIX"] = f"socialsite-test-{os.getpid()}"
# The page cache stays on in tests (they exercise it), in each test process's
# local memory unless REDIS_URL is set: one process, so its warning about
# several processes does not apply.
SILENCED_SYSTEM_CHECKS = ["sharing.W031"]
# Reviews in the reusable apps' tests are about the test app's products.
COMMUNITY_POSTS_PRODUCT_MODELS = [*COMMUNITY_POSTS_PRODUCT_MODELS, "testapp.teaproduct"]
