# The few verbs a newcomer needs. See README.md.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# python3.12 may be a pyenv shim that is not active, so look for a real 3.12 interpreter.
PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo $$p; break; }; done)
DEMO_ENV := ANSINH_DEMO=1 ANSINH_DEBUG=1
DEMO_HOUSEHOLDS ?= 20000
# The suite runs on both cores (pytest-xdist); `make test-only WORKERS=0` runs it in one process.
WORKERS ?= 2
# `make test` leaves out the one Spark test (a JVM in local mode: a sixth of the run's CPU);
# `make ci` runs it (SPARK=1), as does `make test-only SPARK=1`.
SPARK ?= 0

PIP_INSTALL := $(BIN)/python -m pip install --quiet

.PHONY: install demo test test-only typecheck ci bench messages clean

$(BIN)/ansinh: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 is needed (python3.12 not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip
	@# No bytecode compiled ahead: Python compiles a module when it is first imported, and most of
	@# the installed files (PySpark's, the libraries' tests) never are. Compiling all of them took
	@# 11-13 s of each install; a fresh clone's `make test` took 282 s with it, 245 s without.
	$(PIP_INSTALL) --no-compile -e '.[test,spark]'
	@touch $@

install: $(BIN)/ansinh


demo: install
	mkdir -p var
	$(DEMO_ENV) $(BIN)/ansinh migrate --no-input
	$(DEMO_ENV) $(BIN)/ansinh geo load
	$(DEMO_ENV) $(BIN)/ansinh demo setup
	$(DEMO_ENV) $(BIN)/ansinh demo generate --province 86 --households $(DEMO_HOUSEHOLDS) --seed 1
	$(DEMO_ENV) $(BIN)/ansinh demo rounds --province 86 --year 2025
	$(DEMO_ENV) $(BIN)/ansinh demo plans --province 86
	$(DEMO_ENV) $(BIN)/ansinh demo payments --province 86
	$(DEMO_ENV) $(BIN)/ansinh demo procedures --province 86
	$(DEMO_ENV) $(BIN)/ansinh demo labour --province 86
	$(DEMO_ENV) $(BIN)/ansinh demo care --province 86
	@# The background worker (review rounds, packages of reports, imports) runs beside the web
	@# server and stops with it (Ctrl-C), whichever way runserver ends.
	$(DEMO_ENV) $(BIN)/ansinh db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/ansinh runserver 127.0.0.1:$(PORT)

test: install test-only

# Python may write bytecode even where PYTHONDONTWRITEBYTECODE is set: pytest keeps the test
# modules it rewrote (its assertion messages) there, and rewriting them all again took each
# worker ~15 s of CPU at every run. (__pycache__ is ignored by git.)
test-only:
	PYTHONDONTWRITEBYTECODE= ANSINH_TESTING=1 $(BIN)/python -m pytest -q -p no:cacheprovider $(if $(filter-out 0,$(WORKERS)),-n $(WORKERS) --dist loadfile --no-loadscope-reorder) $(if $(filter 1,$(SPARK)),,-m 'not spark')

typecheck: install
	ANSINH_TESTING=1 $(BIN)/mypy ansinh

# Type checks, the suite on SQLite with the Spark test, then again on a throwaway PostgreSQL
# server on loopback (without the Spark test, which uses no database).
ci: typecheck
	$(MAKE) test-only SPARK=1
	scripts/with-postgres $(MAKE) test-only

# Figures on SQLite, then on a throwaway PostgreSQL server when Debian's postgresql is installed.
# The bench's own process only orchestrates (debug settings); its steps run in child processes,
# the review rounds with production settings and a throwaway secret key.
# The load test needs the `bench` extra (Locust, gunicorn); ANSINH_BENCH_LOAD=0 skips it.
bench: install
	$(BIN)/python -m pip install --quiet -e '.[test,spark,bench]'
	ANSINH_DEBUG=1 $(BIN)/ansinh bench
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  scripts/with-postgres sh -c 'ANSINH_DEBUG=1 ANSINH_BENCH_DATABASE_URL=$$ANSINH_DATABASE_URL $(BIN)/ansinh bench'; \
	else echo "PostgreSQL not installed: skipped the PostgreSQL figures"; fi

# Re-extract and compile the translations (needs GNU gettext).
messages: install
	cd ansinh && ../$(BIN)/ansinh makemessages -l vi --no-obsolete --no-location
	cd ansinh && ../$(BIN)/ansinh compilemessages

clean:
	rm -rf $(VENV) var *.egg-info
