"""Background work of the sharing app (django-tasks)."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

from . import app_settings, counters, publishing

logger = logging.getLogger(__name__)


@task()
def flush_share_counts():
    """Add the share counts waiting in Redis to the database
    (`sharing.counters`)."""
    return counters.flush().as_dict()


def schedule_flush():
    """Enqueue a flush to run SHARING_COUNTER_FLUSH_INTERVAL seconds from now
    (at once on a backend that cannot defer, like the immediate one of
    development). A failure is logged, not raised: the counts wait in Redis
    for a later flush."""
    flush = flush_share_counts
    if flush.get_backend().supports_defer:
        delay = datetime.timedelta(seconds=app_settings.COUNTER_FLUSH_INTERVAL)
        flush = flush.using(run_after=timezone.now() + delay)
    try:
        flush.enqueue()
    except Exception:
        logger.exception("The flush of share counts could not be scheduled")


@task()
def publish_post(attempt_id):
    """Send an own-media post (`sharing.publishing.run`): a post that is not
    queued or not due yet is left alone, so a task that runs twice posts
    once."""
    attempt = publishing.run(attempt_id)
    return attempt.state if attempt is not None else None
