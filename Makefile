# The README's two commands (`make run`, `make test`) and the few a developer needs next
# to them. Everything runs through .venv/bin explicitly; nothing needs activating.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Touched after a successful install; pip runs again only when pyproject.toml is newer.
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: help install run test lint format worker beat clean

help:
	@echo "make run      install if needed, migrate, load the demo scheme, serve http://127.0.0.1:8000"
	@echo "make test     run the test suite (extra pytest arguments: PYTEST_ARGS=\"-k name\")"
	@echo "make lint     ruff check and ruff format --check"
	@echo "make format   sort imports and format with ruff"
	@echo "make worker   a Celery worker for the default and pdf queues (needs REDIS_URL)"
	@echo "make beat     Celery beat, the periodic sweeps (needs REDIS_URL)"
	@echo "make install  create .venv and install the project with its dev extras"
	@echo "make clean    remove .venv, collected static files and caches (keeps your data)"

# A half-made venv (no ensurepip, as on Debian without python3-venv) is removed, so the
# next run starts again instead of finding a python without pip.
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "microcomm needs Python 3.11 or newer, but '$(PYTHON)' is:" \
	    "$$($(PYTHON) -V 2>&1 || true). Install Python 3.11+ or run make PYTHON=python3.12 ..." >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create $(VENV). On Debian or Ubuntu: apt-get install python3-venv" >&2; \
	  exit 1; }

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(STAMP)

# Development settings unless the caller chose otherwise.
run worker beat: export DEBUG ?= 1

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# DATABASE_URL, REDIS_URL, REQUIRE_SERVICES and CHROMIUM_PATH come from the environment.
test: $(STAMP)
	@$(PY) -m pytest $(PYTEST_ARGS) || { status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; fi; \
	  exit $$status; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --select I --fix .
	$(BIN)/ruff format .

worker: $(STAMP)
	@[ -n "$${REDIS_URL:-}" ] || { echo "make worker needs REDIS_URL; without it tasks run inline" >&2; exit 1; }
	$(BIN)/celery -A microcomm worker -Q default,pdf --loglevel INFO

beat: $(STAMP)
	@[ -n "$${REDIS_URL:-}" ] || { echo "make beat needs REDIS_URL; without it tasks run inline" >&2; exit 1; }
	$(BIN)/celery -A microcomm beat --loglevel INFO

# Conservative: db.sqlite3, private-media/ and sent-emails/ hold your data and stay.
clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache *.egg-info test-db*.sqlite3* celerybeat-schedule*
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
