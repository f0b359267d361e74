from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    label = "sharing"
    verbose_name = _("Sharing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, restrictions, sitedata, snapshots  # noqa: F401

        snapshots.connect_signals()
        sitedata.connect_signals()
        restrictions.connect_signals()

        from wagtail.permissions import register_permission_policy

        from . import publishing, viewsets
        from .models import PublishAttempt

        publishing.connect_signals()
        register_permission_policy(PublishAttempt, viewsets.permission_policy)

        # The page cache: Wagtail's changes take pages out; share-driven visits
        # count on pages served from it too.
        from . import pagecache, tracking
        from .pagecache import checks as pagecache_checks  # noqa: F401
        from .pagecache import invalidation

        invalidation.connect()
        pagecache.register_counter(tracking.VISIT_COUNTER, tracking.record_visit_to)
