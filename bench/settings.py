"""Settings of the benchmarks: the development settings plus a bench urlconf
with a bare view; nothing of it is part of the product."""

from socialsite.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": True}
