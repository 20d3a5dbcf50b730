# The two-command contract: `make run` (set up and serve the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Development targets run with DEBUG on; the server-side ones (backup, restore) never do:
# they take DJANGO_DEBUG, DJANGO_SECRET_KEY and DATABASE_URL from the server's environment.
DEV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.PHONY: run test test-fast install install-prod lint format migrate demo messages messages-check \
	bench load \
	clean backup restore

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Runtime dependencies only (a server: no test tools).
$(VENV)/.installed-prod: requirements.txt | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

install-prod: $(VENV)/.installed-prod

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py demo_login --base-url "http://$(HOST):$(PORT)/"

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest

# The edit-run loop: everything but the browser and fuzzing tests.
test-fast: install
	$(BIN)/pytest -m "not browser and not fuzz"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Fails when a source string has no Vietnamese translation (CI runs it).
messages-check: install
	bin/check-messages

messages: install
	$(DEV) $(PY) manage.py makemessages -l vi --no-obsolete --no-location --ignore=.venv \
		--ignore=staticfiles
	$(DEV) $(PY) manage.py compilemessages -l vi --ignore=.venv

# Backups of the database of DATABASE_URL: pg_dump/pg_restore on PostgreSQL, SQLite's online
# backup on SQLite. `make backup` writes backups/registry-<date>.{dump,sqlite3};
# `make restore FILE=<backup>` loads it into an empty database (REPLACE=1 to overwrite one).
BACKUP_DIR ?= backups
backup: install-prod
	$(PY) manage.py backup_db --output-dir "$(BACKUP_DIR)"

restore: install-prod
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<file> [REPLACE=1]"; exit 2; }
	$(PY) manage.py restore_db "$(FILE)" $(if $(REPLACE),--replace)

# National-scale benchmark (BENCHMARKS.md): creates the PostgreSQL database if missing,
# migrates it, loads seed_scale (10,000 clusters, 200,000 inspections, 100,000 markets),
# serves the app with gunicorn on loopback and measures it; results in bench/results/.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/registry_bench
BENCH_ARGS ?=
bench: install
	$(PY) -m bench.run --database-url $(BENCH_DATABASE_URL) $(BENCH_ARGS)

# Load test (BENCHMARKS.md, "## Load test"): 10,000 requests at concurrency 16, reads and
# writes with API tokens, against gunicorn on PostgreSQL on loopback; creates, migrates and
# loads its own database (demo + a small seed_scale); zero errors required (exit 1 otherwise).
# Writes bench/results/load-<date>-<host>.json. Not part of `make test`; not while `make bench`
# runs. Python only (thread pool + http.client): nothing to install beyond requirements.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/registry_load
LOAD_ARGS ?=
load: install
	$(PY) -m bench.load --database-url $(LOAD_DATABASE_URL) $(LOAD_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
