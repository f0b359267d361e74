"""Background tasks on a Redis queue (TASKS_BACKEND=rq, settings.production):
django-tasks-rq's backend, made safe for tasks enqueued inside a database
transaction, running the CDN purges itself, and an RQ worker that recovers
its scheduler quickly.

Run the workers with::

    python manage.py rqworker --job-class django_tasks_rq.Job \\
        --worker-class socialsite.rq.Worker --worker-ttl 45 --with-scheduler default
"""

import logging

from django.db import transaction
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq import backend as rq_backend
from rq.job import Callback, JobStatus
from rq.worker import Worker as RQWorker

logger = logging.getLogger(__name__)

# Tasks the process that enqueues them runs itself when the transaction
# commits, instead of queueing them (OPTIONS["INLINE_TASKS"] replaces the
# list): Wagtail's frontend-cache purge is a few requests to the CDN, and
# the next visitor must not get the old page because the purge waits behind
# other tasks (or for a worker that is down).
INLINE_TASKS = ("wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task",)


class RQBackend(rq_backend.RQBackend):
    """django-tasks-rq's backend, with the job put on the queue only when the
    transaction that enqueued it commits (at once outside one), as the
    database backend's row becomes visible: a worker never runs a task for
    a row that is not committed yet (or never will be). The tasks of
    INLINE_TASKS run in this process after the commit; one that fails there
    goes to the queue, for a worker to try again."""

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.inline_tasks = frozenset(self.options.get("INLINE_TASKS", INLINE_TASKS))

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        if task.module_path in self.inline_tasks and task.run_after is None:
            return self._enqueue_inline(task, args, kwargs)
        return self._enqueue(task, args, kwargs)

    def _result(self, task, args, kwargs):
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

    def _enqueue(self, task, args, kwargs):
        result = self._result(task, args, kwargs)
        queue = rq_backend.django_rq.get_queue(
            task.queue_name, job_class=rq_backend.Job
        )
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(rq_backend.failed_callback),
            on_success=Callback(rq_backend.success_callback),
            meta={"backend_name": self.alias},
        )

        def put():
            self._put(queue, job, task, result)

        # (A function, not a partial: Django names it when it fails.)
        transaction.on_commit(put, robust=True)
        return result

    def _put(self, queue, job, task, result):
        if task.run_after is None:
            queue.enqueue_job(
                job, at_front=task.priority == rq_backend.TASK_MAX_PRIORITY
            )
        else:
            queue.schedule_job(job, task.run_after)
        object.__setattr__(result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=result)

    def _enqueue_inline(self, task, args, kwargs):
        result = self._result(task, args, kwargs)

        def run():
            self._run_inline(task, args, kwargs)

        transaction.on_commit(run, robust=True)
        return result

    def _run_inline(self, task, args, kwargs):
        try:
            task.call(*args, **kwargs)
        except Exception:
            logger.exception("%s failed, queued for a worker", task.module_path)
            self._enqueue(task, args, kwargs)


class Worker(RQWorker):
    """RQ's worker, checking every 30 s (not 10 minutes) that its scheduler
    (which moves deferred tasks to the queue when due) still runs, and
    waiting on the queue at most 30 s at a time (not 405) so that the check
    happens: after Redis was unreachable, deferred tasks (the share-count
    flush) run within a minute of its return."""

    def __init__(self, *args, maintenance_interval=30, worker_ttl=None, **kwargs):
        super().__init__(
            *args,
            maintenance_interval=maintenance_interval,
            # manage.py rqworker passes 420 unless --worker-ttl says 45
            worker_ttl=worker_ttl or 45,
            **kwargs,
        )
