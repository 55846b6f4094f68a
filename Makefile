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

## make bench: the deadline checks over BENCH_CLIENTS active clients (default 1,000,000) and a
## tenth of them, then the managers' dashboard at 50,000 and 1,000,000 clients, in databases of
## their own; tables on screen, JSON in var/bench/. Not in `make test`.
## Smaller: make bench BENCH_CLIENTS=100000. Other server: BENCH_DATABASE_URL=postgres://...
BENCH_CLIENTS ?= 1000000
.PHONY: bench
bench: install
	$(BIN)/python -m bench.deadlines --clients $(BENCH_CLIENTS)
	$(BIN)/python -m bench.dashboard
