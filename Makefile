# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
REDIS_URL ?= redis://127.0.0.1:6379/0
export REDIS_URL

.PHONY: run test check messages install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(BIN)/pybabel compile --statistics -d locale -D django 2>&1 | grep -v '^$$' || true
	@test -f locale/pl/LC_MESSAGES/django.mo || { echo "Compiling translations failed."; exit 1; }

## make run: migrate, load demo data and serve on http://127.0.0.1:8000 with a worker and beat.
run: install messages
	$(BIN)/python -m labour_office.run

## make test: lint, type-check, migrations check and the whole suite on PostgreSQL and Redis.
test: install messages
	@bash scripts/test.sh

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/mypy .

clean:
	rm -rf $(VENV) staticfiles var/broker var/screenshots

## make bench: the benchmark suite (bench/suite.py) at 10,000, 100,000 and 1,000,000 clients,
## in databases of its own built by bench/generate.py on the first run and reused; a table on
## screen, JSON in var/bench/. Not in `make test`. Fewer sizes: make bench BENCH_SIZES=10000,100000.
## Other server: BENCH_DATABASE_URL=postgres://... (a prefix: <url>_<clients>).
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): pyproject.toml | $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

.PHONY: bench
bench: $(BENCH_STAMP) messages
	$(BIN)/python -m bench.suite $(if $(BENCH_SIZES),--sizes $(BENCH_SIZES))
