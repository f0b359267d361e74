"""Background work of listening beyond the site (django-tasks): fetch the
sources that are due, one task per source so that a slow source never holds
up the others, run large imports, and evaluate the alert rules after each
fetch and import.

``manage.py listen`` enqueues :func:`fetch_due_sources` (run it from cron
every few minutes, or let a worker's scheduler do it); on the cluster
profile the RQ worker runs the tasks."""

import logging

from django.utils import timezone
from django_tasks import task

from community.insights import alerts, imports, ingest
from community.insights.models import ImportJob, Source

logger = logging.getLogger(__name__)


@task()
def fetch_source(source_id):
    """Fetch one source (if it is still due and no other worker took it),
    then evaluate the alert rules."""
    source = Source.objects.filter(pk=source_id, active=True).first()
    if source is None:
        return {"source": source_id, "ok": False, "error": "gone"}
    now = timezone.now()
    if source.next_fetch_at and source.next_fetch_at > now:
        return {"source": source_id, "ok": True, "skipped": True}
    if not ingest.claim(source, now):
        return {"source": source_id, "ok": True, "skipped": True}
    result = ingest.fetch(source, now=now)
    if result.get("created"):
        enqueue(evaluate_alerts)
    return result


@task()
def fetch_due_sources():
    """Enqueue a fetch of every source that is due; returns their ids."""
    ids = list(ingest.due_sources().values_list("pk", flat=True))
    for source_id in ids:
        enqueue(fetch_source, source_id)
    enqueue(evaluate_alerts)
    return ids


@task()
def run_import(job_id):
    """Run a large import in the background, then evaluate the alert rules;
    returns its status."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.WAITING).first()
    if job is None:
        return {"job": job_id, "status": "gone"}
    job = imports.run_job(job)
    if job.created:
        enqueue(evaluate_alerts)
    return {"job": job.pk, "status": job.status, "created": job.created}


@task()
def evaluate_alerts():
    """Check every alert rule now; returns the ids of the alerts sent."""
    return [alert.pk for alert in alerts.evaluate()]


def enqueue(task_, *args):
    """Enqueue `task_`; a broken queue is logged, never raised (the next run
    of ``listen`` tries again)."""
    try:
        task_.enqueue(*args)
    except Exception:
        logger.exception("Listening task %s could not be enqueued", task_.name)
