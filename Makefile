# Parity: `make demo` and `make test` are the two commands; see README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed

AGENTS ?= 200
DAYS ?= 90
SEED ?= 7
UI_PORT ?= 3000

export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home
export PARITY_LANDING_DIR ?= $(CURDIR)/data/landing
export PARITY_WAREHOUSE ?= $(CURDIR)/data/warehouse/parity.duckdb
export PATH := $(BIN):$(PATH)

.PHONY: install demo generate materialize summary ui test test-all bench dagster-home clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when the pins change.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip==24.3.1
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

install: $(STAMP)

generate: install
	parity generate --agents $(AGENTS) --days $(DAYS) --seed $(SEED) --out $(PARITY_LANDING_DIR)

dagster-home:
	mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $(DAGSTER_HOME)/dagster.yaml

# One run loads every landed business day (single-run backfill of all daily partitions).
materialize: install dagster-home
	dagster asset materialize --select '*' -m orchestration.definitions \
		--partition-range "$$(parity partition-range)"

summary: install
	parity summary

demo: generate materialize summary

ui: install dagster-home
	dagster dev --host 127.0.0.1 --port $(UI_PORT) -w workspace.yaml

# pytest exits 5 when it collects no tests; that is not a failure of the suite.
test: install
	$(BIN)/pytest -m "not slow" || [ $$? -eq 5 ]

test-all: install
	$(BIN)/pytest || [ $$? -eq 5 ]

bench: install
	$(BIN)/python -m parity.bench $(BENCH_ARGS)

clean:
	rm -rf data
