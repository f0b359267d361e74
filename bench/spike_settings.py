"""Settings of bench/spike.py: the production settings (SECRET_KEY and
ALLOWED_HOSTS from the environment, manifest static files, Redis, HTTPS
behind a proxy) plus the bench urlconf with its bare view. Not part of the
product."""

from socialsite.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
