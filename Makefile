# Parity: `make demo` and `make test` are the two commands; see README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
MANIFEST := dbt_project/target/manifest.json
DBT_FILES := $(shell find dbt_project/models dbt_project/macros -type f 2>/dev/null) \
	dbt_project/dbt_project.yml dbt_project/profiles.yml

AGENTS ?= 200
DAYS ?= 90
SEED ?= 7
UI_PORT ?= 3000

export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home
export PARITY_LANDING_DIR ?= $(CURDIR)/data/landing
export PARITY_WAREHOUSE ?= $(CURDIR)/data/warehouse/parity.duckdb
export PARITY_SERVING_DIR ?= $(CURDIR)/data/serving
export PATH := $(BIN):$(PATH)

CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: install demo generate materialize summary ui test test-slow test-all bench docs dagster-home clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when the pins change.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip==24.3.1
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

# The dbt manifest is built here, once, not parsed on every import of the definitions.
$(MANIFEST): $(STAMP) $(DBT_FILES)
	dagster-dbt project prepare-and-package --file orchestration/project.py

install: $(STAMP) $(MANIFEST)

# Debian's Chromium renders the report in the tests (headless, offline).
$(CHROMIUM):
	$(SUDO) apt-get install -y --no-install-recommends chromium \
		|| ($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium)

generate: install
	parity generate --agents $(AGENTS) --days $(DAYS) --seed $(SEED) --out $(PARITY_LANDING_DIR)

dagster-home:
	mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $(DAGSTER_HOME)/dagster.yaml

# One run loads every landed business day and builds every dbt model and test on top (a
# single-run backfill of all the daily partitions; dbt gets the window as vars).
materialize: install dagster-home
	dagster asset materialize --select '*' -m orchestration.definitions \
		--partition-range "$$(parity partition-range)"

summary: install
	parity summary

demo: generate materialize summary

ui: install dagster-home
	dagster dev --host 127.0.0.1 --port $(UI_PORT) -w workspace.yaml

# pytest exits 5 when it collects no tests; that is not a failure of the suite.
test: install $(CHROMIUM)
	$(BIN)/pytest -m "not slow" || [ $$? -eq 5 ]

# The scale tests marked slow (e.g. a 1-million-row extract); test-all = test + test-slow.
test-slow: install
	$(BIN)/pytest -m slow || [ $$? -eq 5 ]

test-all: test test-slow

# dbt documentation of every model and column (catalog read from the warehouse).
docs: install
	cd dbt_project && dbt docs generate --profiles-dir .
	@echo "dbt docs: dbt_project/target/index.html (open with: cd dbt_project && dbt docs serve --host 127.0.0.1)"

# Figures, not pass/fail (docs/benchmarks.md). CI runs the small size only; the full set, resumable:
# BENCH_ARGS="--sizes demo 10x year --workdir /tmp/benchwork --duckdb-memory year=10GB --write-docs"
bench: install
	$(BIN)/python -m parity.bench $(BENCH_ARGS)

clean:
	rm -rf data
