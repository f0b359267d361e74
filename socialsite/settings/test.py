import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "socialsite-test-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="socialsite-test-media-"))
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# A page model of the reusable apps' own, so their tests need no demo pages.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
if REDIS_URL:
    # Keep test runs from reading each other's (or a dev server's) keys.
    CACHES["default"]["KEY_PREFIX"] = f"socialsite-test-{os.getpid()}"
# Reviews in the reusable apps' tests are about the test app's products.
COMMUNITY_POSTS_PRODUCT_MODELS = [*COMMUNITY_POSTS_PRODUCT_MODELS, "testapp.teaproduct"]
