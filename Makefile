# Socialsite: `make run` serves the demo site, `make test` runs the whole suite
# in parallel and in a random order (pytest-xdist, pytest-randomly).
# PYTEST_WORKERS=0 runs in one process; PYTEST_ARGS="-p no:randomly" keeps the
# file order; PYTEST_ARGS="--randomly-seed=N" repeats a failing run's order.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# One test process more than CPUs: the browser tests spend much of their time
# waiting for Chromium and the live server, while the others compute.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
PORT ?= 8000
HOST ?= 127.0.0.1
export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: install run test test-postgres test-integration test-production test-validators cluster cluster-stop cluster-packages test-cluster docs lint format messages demo bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data --site-url $(WAGTAILADMIN_BASE_URL)

run: demo
	@echo "Serving the demo site at http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The same suite against PostgreSQL and Redis (both must be running).
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Build the wheel, install it into new Wagtail projects as docs/installation.md
# says (members and comments; everything; sharing alone) and render their pages
# (slow: a fresh virtual environment and three projects).
test-integration: install
	$(PY) -m pytest -m integration tests/integration $(PYTEST_ARGS)

# The README's production steps on a copy of the tree (new virtualenv, new
# PostgreSQL database socialsite_ci_prod, Redis, gunicorn on 127.0.0.1:8201),
# then every sitemap page and the files it loads fetched from outside.
test-production:
	.ci/production

# The several-machines profile on loopback (deploy/cluster.sh): PostgreSQL
# primary + replica, Redis, moto's S3 server, 2 app servers, 2 RQ workers,
# HAProxy and Varnish; prints the URL. cluster-stop ends what it started.
$(VENV)/.cluster-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev,cluster]"
	touch $@

cluster-packages:
	@need=""; command -v haproxy >/dev/null || need="$$need haproxy"; \
	command -v varnishd >/dev/null || need="$$need varnish"; \
	command -v redis-server >/dev/null || need="$$need redis-server"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$$need postgresql"; \
	if [ -n "$$need" ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; fi

cluster: cluster-packages $(VENV)/.cluster-installed
	deploy/cluster.sh start

cluster-stop:
	deploy/cluster.sh stop

# Starts the cluster (a state folder of its own), tests it through Varnish and
# HAProxy (pages, media on S3, purges, concurrent writers, faults), stops it.
test-cluster: cluster-packages $(VENV)/.cluster-installed
	$(PY) -m pytest -m cluster -p no:randomly tests/cluster $(PYTEST_ARGS)

# The Nu HTML Checker and axe-core over every page type of the demo (installs
# them from the npm registry into node_modules/; needs Java and npm).
test-validators: install
	npm ci --ignore-scripts --no-audit --no-fund
	$(PY) -m pytest -m validators -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Build the documentation site from docs/ into site/.
docs: install
	$(VENV)/bin/mkdocs build --strict

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate and compile the translation catalogues (needs GNU gettext).
messages: install
	# One catalogue per app, in <app>/locale; the kernel's skips its sub-apps.
	(cd community && $(abspath $(PY)) $(CURDIR)/manage.py makemessages -l zh_Hans --no-obsolete \
		--ignore 'static/*' --ignore 'comments/*' --ignore 'posts/*' --ignore 'insights/*' \
		--ignore 'events/*' --ignore 'campaigns/*' --ignore 'api/*')
	for app in community/comments community/posts community/insights community/events \
		community/campaigns community/api sharing; do \
		(cd $$app && $(abspath $(PY)) $(CURDIR)/manage.py makemessages -l zh_Hans \
			--no-obsolete --ignore 'static/*'); \
	done
	# The project's catalogue (socialsite/locale, LOCALE_PATHS) also covers templates/.
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore 'community/*' \
		--ignore 'sharing/*' --ignore 'tests/*' --ignore 'bench/*' --ignore '.venv/*' \
		--ignore 'site/*' --ignore 'staticfiles/*' --ignore 'media/*' --ignore 'build/*'
	$(PY) manage.py compilemessages --ignore .venv

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
