# One command to run the app with demo data (web server and background worker), one to
# run every test.
# Both create the virtualenv and install the pinned requirements on first use.

PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Development: DEBUG on, and reports rendered in the background by a worker on the
# database queue, as in production.
DEV_ENV := DEBUG=1 TASK_BACKEND=database

.PHONY: run test test-fast serve worker lint typecheck audit system-deps browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

system-deps:
	@bash scripts/system-deps.sh

browser-deps:
	@bash scripts/system-deps.sh --browser

run: system-deps $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(BIN)/python manage.py devserver $(HOST):$(PORT)

test: browser-deps $(VENV)/.installed
	$(BIN)/python -m pytest -n auto --dist worksteal

test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -n auto --dist worksteal -m "not browser"

serve: system-deps $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/gunicorn ergo_site.wsgi:application --config ergo_site/gunicorn.conf.py \
		--bind $(HOST):$(PORT)

# A background worker for TASK_BACKEND=database (db_worker) or rq (rqworker).
worker: system-deps $(VENV)/.installed
	$(BIN)/python manage.py worker

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

audit: $(VENV)/.installed
	$(BIN)/bandit -c pyproject.toml -r assessments ergo_site -q
	$(BIN)/python scripts/pip_audit.py

# The django-stubs plugin loads the settings, which want a secret key when DEBUG is off.
typecheck: $(VENV)/.installed
	SECRET_KEY=type-checking-only-not-a-secret $(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
