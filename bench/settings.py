"""Settings of the benchmarks: the development settings plus a bench urlconf
with a bare view; nothing of it is part of the product."""

import os

from socialsite.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": True}

# bench/share_endpoint.py with Redis: the database task backend and its
# worker flush the share counts, as in production.
if os.environ.get("BENCH_TASKS") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
