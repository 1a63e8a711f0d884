# KindJournal: `make run` to use it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` and `make demo` are for a local checkout: debug on, a generated secret key file.
LOCAL := DJANGO_DEBUG=true

.PHONY: run demo reminders test test-postgres lint format migrate bench serve audit load check-spreadsheet clean

$(VENV)/bin/python:
	PYTHON=$(PYTHON) scripts/ensure_venv.sh
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

migrate: $(VENV)/.runtime
	$(LOCAL) $(PY) manage.py migrate --no-input

run: migrate
	$(LOCAL) $(PY) manage.py runserver $(HOST):$(PORT)

demo: migrate
	$(LOCAL) $(PY) manage.py seed_demo
	$(LOCAL) $(PY) manage.py runserver $(HOST):$(PORT)

# The reminder sender beside `make run` (in a second terminal): checks every 30 s. `make run`
# works without it; reminders just are not sent.
reminders: migrate
	$(LOCAL) $(PY) manage.py send_reminders --loop

test: $(VENV)/.dev
	PYTHON=$(PY) scripts/ensure_chromium.sh
	PYTHON=$(PY) scripts/fetch_cdn_copies.sh
	$(MAKE) --no-print-directory lint
	env -u DATABASE_URL $(PY) -m pytest

# The same suite on a throwaway PostgreSQL 15 cluster (scripts/with_postgres.sh).
test-postgres: $(VENV)/.dev
	PYTHON=$(PY) scripts/ensure_chromium.sh
	PYTHON=$(PY) scripts/fetch_cdn_copies.sh
	scripts/with_postgres.sh $(PY) -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r kindjournal

# Production-style serving: gunicorn (gunicorn.conf.py: HOST, PORT, WEB_CONCURRENCY) and
# WhiteNoise's compressed, hashed static files. Needs the deploy's environment (README).
serve: $(VENV)/.runtime
	$(PY) manage.py check --deploy --fail-level ERROR
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py migrate --no-input
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py kindjournal.wsgi

# Known vulnerabilities in the pinned runtime packages (asks the package index; not in `test`).
# --strict: a package the index has no vulnerability data for fails the audit, not passes it.
# pip-audit and what it pulls in go into a throwaway venv, never into the app's.
audit:
	PYTHON=$(PYTHON) scripts/ensure_venv.sh
	@audit_venv=$$(mktemp -d) && trap 'rm -rf "$$audit_venv"' EXIT && \
	$(PYTHON) -m venv "$$audit_venv" && \
	"$$audit_venv/bin/pip" install --quiet --disable-pip-version-check pip-audit==2.10.1 && \
	"$$audit_venv/bin/pip-audit" --strict -r requirements.txt

# 50 simulated people for 60 s against gunicorn on SQLite, then on PostgreSQL (load/run.py).
load: $(VENV)/.dev
	$(PY) load/run.py
	scripts/with_postgres.sh $(PY) load/run.py

# Whether LibreOffice runs any cell of the CSV export as a formula, with each separator set
# (scripts/check_spreadsheet.py). Needs soffice (apt-get install libreoffice-calc-nogui); not in `test`.
check-spreadsheet: $(VENV)/.runtime
	$(PY) scripts/check_spreadsheet.py

# Benchmarks: each bench/bench_*.py prints ratios against a baseline page in the same run.
bench: $(VENV)/.dev
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .cdn-cache staticfiles .pytest_cache .ruff_cache
