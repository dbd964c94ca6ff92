# Hemma's commands. The first two are the README's: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := hemma.settings

.PHONY: run test lint format messages demo clean

# The virtual environment, made again whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## run: set up, load the demo and serve Hemma on http://$(HOST):$(PORT) with gunicorn, beside
## the worker that builds reports in the background (stopped with it). No access log: it would
## keep the address and time of every survey answer (docs/surveys.md, Anonymity).
run: $(VENV)/.installed
	scripts/ensure-system-packages run
	$(BIN)/hemma migrate --noinput
	$(BIN)/hemma collectstatic --noinput --verbosity 0
	$(BIN)/hemma demo
	@echo "Hemma is at http://$(HOST):$(PORT)/sv/ (Ctrl-C stops it)."
	$(BIN)/hemma db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn hemma.wsgi --bind $(HOST):$(PORT) --workers 2 --forwarded-allow-ips=""

## test: set up and run the whole suite (DATABASE_URL chooses the database; SQLite by default)
test: $(VENV)/.installed node_modules/.installed
	scripts/ensure-system-packages test
	$(BIN)/hemma makemigrations --check --dry-run
	$(BIN)/pytest

# axe-core for the accessibility scan of the browser tests, from package-lock.json (no CDN).
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy hemma

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: gather and compile the translations (needs GNU gettext)
messages: $(VENV)/.installed
	cd hemma && ../$(BIN)/hemma makemessages --locale sv --locale fi --locale en --locale ar --locale fa --no-obsolete --ignore 'tests/*'
	cd hemma && ../$(BIN)/hemma compilemessages

clean:
	rm -rf $(VENV) data node_modules

## bench: time the national-scale operations against their raw-SQL floors (docs/performance.md)
## on the PostgreSQL database of DATABASE_URL, after `hemma bench-data`; BENCH_ARGS passes
## options, e.g. make bench BENCH_ARGS="--repeat 5 --json bench.json --only grid dashboard";
## then records values under load (`hemma bench-load`, wrk; BENCH_LOAD_ARGS="--seconds 30")
.PHONY: bench
bench: $(VENV)/.installed
	scripts/ensure-system-packages bench
	$(BIN)/hemma bench $(BENCH_ARGS)
	$(BIN)/hemma bench-load $(BENCH_LOAD_ARGS)
