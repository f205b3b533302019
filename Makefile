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

.PHONY: help run test test-dates lint bench load install chromium icons

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

run: install ## serve the app with demo data on http://127.0.0.1:8000 (SQLite, eager tasks)
	$(LOCAL) $(BIN)/python manage.py migrate --noinput
	$(LOCAL) $(BIN)/python manage.py load_demo
	$(LOCAL) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install chromium ## the whole test suite on PostgreSQL + Redis, browser tests included
	DATABASE_URL="$${DATABASE_URL:-$(DEFAULT_DATABASE_URL)}" \
	REDIS_URL="$${REDIS_URL:-$(DEFAULT_REDIS_URL)}" \
	$(BIN)/pytest $(PYTEST_ARGS) --create-db

# The moments `make test-dates` runs the suite at (COACH_TEST_NOW; Europe/London is the default
# athlete zone). Override with `make test-dates TEST_MOMENTS="<moment> ..."`.
#   2027-03-01T09:00Z  the 1st of a month, after a 28-day February (a Monday)
#   2027-01-31T12:00Z  the last day of a 31-day month (a Sunday; already 1 Feb in Auckland)
#   2026-12-31T11:30Z  31 Dec in London, already 00:30 on 1 Jan in Auckland
#   2026-12-31T23:30Z  31 Dec 23:30 in London, half an hour before the year turns
#   2028-02-29T12:00Z  29 February
#   2027-01-17T23:45Z  a Sunday late evening in London
#   2027-06-13T23:30Z  Monday 00:30 in London (summer time) while UTC is still on Sunday
#   2027-03-28T00:30Z  London's spring change day, 30 min before 01:00 skips to 02:00
#   2027-10-31T00:30Z  London's autumn change day, 01:30 BST: the hour that comes twice
#   2027-03-14T06:30Z  New York's spring change day, 01:30 EST, before 02:00 skips to 03:00
#   2027-11-07T05:30Z  New York's autumn change day, 01:30 EDT: the hour that comes twice
#   2027-04-03T15:30Z  Sydney's autumn change, 02:30 AEDT on Sunday 4 Apr: the hour that comes twice
TEST_MOMENTS ?= 2027-03-01T09:00:00+00:00 2027-01-31T12:00:00+00:00 2026-12-31T11:30:00+00:00 \
	2026-12-31T23:30:00+00:00 2028-02-29T12:00:00+00:00 2027-01-17T23:45:00+00:00 \
	2027-06-13T23:30:00+00:00 2027-03-28T00:30:00+00:00 2027-10-31T00:30:00+00:00 \
	2027-03-14T06:30:00+00:00 2027-11-07T05:30:00+00:00 2027-04-03T15:30:00+00:00

# Browser, real-worker and gunicorn-served tests run in other processes that cannot travel in
# time, so they are
# left out here (`make test` runs them at the real now). One database for all moments: the first
# run creates it, the others reuse it. Each moment's output is kept in a log; a failure prints
# its FAILED lines.
test-dates: install ## the suite without browser, worker and server tests at each of TEST_MOMENTS
	@logs=$$(mktemp -d "$${TMPDIR:-/tmp}/coach-test-dates.XXXXXX"); failed=0; db=--create-db; \
	echo "logs in $$logs"; \
	for moment in $(TEST_MOMENTS); do \
		log="$$logs/$$moment.log"; started=$$(date +%s); \
		if COACH_TEST_NOW="$$moment" \
			DATABASE_URL="$${DATABASE_URL:-$(DEFAULT_DATABASE_URL)}" \
			REDIS_URL="$${REDIS_URL:-$(DEFAULT_REDIS_URL)}" \
			$(BIN)/pytest $(PYTEST_ARGS) $$db -m "not e2e and not worker and not server" -q >"$$log" 2>&1; \
		then result=pass; else result=FAIL; failed=1; fi; \
		printf "%-26s %-4s %5ss  %s\n" "$$moment" "$$result" "$$(( $$(date +%s) - started ))" \
			"$$(grep -v '^$$' "$$log" | tail -n 1 | sed -E 's/^=+ | =+$$//g')"; \
		[ "$$result" = pass ] || grep -E '^(FAILED|ERROR) ' "$$log" | sed 's/^/    /'; \
		db=--reuse-db; \
	done; \
	exit $$failed

lint: install ## ruff (lint and format) and the import-layer contract
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/bandit -q -c pyproject.toml -r coach athletes programs outbox web
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

icons: install ## draw the app icons into static/img (committed; run after changing the glyph)
	$(BIN)/python -m coach.app_icons

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
