# Coach — the developer commands. `make help` lists them.
#
# `make run` needs nothing but Python 3.11 and npm: no DATABASE_URL/REDIS_URL, so a SQLite file
# and eager Celery tasks. `make test` runs on PostgreSQL and Redis (defaults below, overridable
# from the environment), as CI does through .ci/run.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Local commands ignore any DATABASE_URL/REDIS_URL in the shell: SQLite and eager tasks.
LOCAL := env -u DATABASE_URL -u REDIS_URL
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

DEFAULT_DATABASE_URL := postgres://postgres@127.0.0.1:5432/coach
DEFAULT_REDIS_URL := redis://127.0.0.1:6379/0
# Benchmarks fill their own database, never the one you develop against.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/coach_bench
# Two processes (the machine has two cores); browser and worker tests run per process too.
PYTEST_ARGS ?= -n 2

.PHONY: help run test lint bench load install chromium

help: ## list the commands
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

run: install ## serve the app with demo data on http://127.0.0.1:8000 (SQLite, eager tasks)
	$(LOCAL) $(BIN)/python manage.py migrate --noinput
	$(LOCAL) $(BIN)/python manage.py load_demo
	$(LOCAL) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install chromium ## the whole test suite on PostgreSQL + Redis, browser tests included
	DATABASE_URL="$${DATABASE_URL:-$(DEFAULT_DATABASE_URL)}" \
	REDIS_URL="$${REDIS_URL:-$(DEFAULT_REDIS_URL)}" \
	$(BIN)/pytest $(PYTEST_ARGS) --create-db

lint: install ## ruff (lint and format) and the import-layer contract
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/bandit -q -c pyproject.toml -r coach athletes programs outbox
	$(BIN)/pip-audit --skip-editable --progress-spinner off

bench: install ## every benchmarks/bench_*.py against PostgreSQL, each printing its figures
	@set -e; for script in benchmarks/bench_*.py; do \
		[ -e "$$script" ] || { echo "no benchmarks/bench_*.py yet"; break; }; \
		echo "== $$script"; \
		DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$${REDIS_URL:-$(DEFAULT_REDIS_URL)}" \
			$(BIN)/python "$$script"; \
	done

load: install ## 60 s locust run (50 athletes logging, 5 coaches browsing) against gunicorn on 127.0.0.1
	$(BIN)/pip install --quiet -e ".[load]"
	$(BIN)/python loadtest/run.py

install: $(VENV)/.installed node_modules/.installed ## Python and npm dependencies, when they changed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamp files: reinstall only when pyproject.toml / package-lock.json change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev,test]"
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Playwright drives Debian's Chromium (tests/e2e/conftest.py), not a downloaded browser.
chromium:
	@[ -x /usr/bin/chromium ] || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }
