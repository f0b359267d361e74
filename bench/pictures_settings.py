"""Settings of the picture benchmark (`bench/pictures.py`): the bench settings
(DEBUG off) with background work in the database task worker, as in the
production profile (`manage.py db_worker`)."""

from bench.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
