# Two commands do all the set-up: `make run` (the app on SQLite with the five papers) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on every core (pytest-xdist; each worker its own test database), then the browser tests on their
# own, also on every core: beside the rest of the suite on 2 cores, two Chromiums made timing-sensitive steps flaky.
# The browser tests go to the workers a file at a time (--dist loadfile): each file starts one Chromium (module-scoped
# fixture), so a file split between two workers started two.
# A browser step that times out is run again, at most twice (pytest-rerunfailures; the summary counts each rerun as
# "R" and named in the short summary): on 2 shared cores a Chromium step can miss its 20 s wait; any other failure is never rerun.
# `make test PYTEST_ARGS=... E2E_ARGS=...` overrides each (E2E_ARGS= with nothing skips the browser tests).
PYTEST_ARGS ?= -n auto --ignore=tests/e2e
E2E_ARGS ?= -n auto --dist loadfile --reruns 2 --only-rerun TimeoutError -rfER tests/e2e

.PHONY: run test lint format bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# --no-compile: Python compiles a module the first time it is imported instead of pip compiling every module of every
# package at install (half of the install's time: 37 s instead of 76 s for requirements-dev.txt on 2 cores).
$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --no-compile -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --no-compile -r requirements-dev.txt
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_corpus
	@echo
	@echo "sco-claims is starting at http://$(HOST):$(PORT)/  (log in at http://$(HOST):$(PORT)/accounts/login/)"
	@echo "Make yourself a user first, in another terminal:"
	@echo "    $(PY) manage.py createuser YOURNAME --role moderator   (or --role analyst / reader)"
	@echo
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=sco_claims.settings_test
	$(VENV)/bin/pytest $(PYTEST_ARGS)
	$(if $(strip $(E2E_ARGS)),$(VENV)/bin/pytest $(E2E_ARGS))

# Figures and ratios (reader, map/compare, writers, export, re-anchoring) measured in one run; see bench/run.py.
# The reader and map benches drive headless Chromium through Playwright (requirements-dev.txt).
bench: $(VENV)/.dev-installed
	$(PY) -m bench.run $(BENCH_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis

