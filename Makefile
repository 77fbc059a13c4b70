# budgetlib — run `make help` for the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup system-deps parse check reports test bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { bash scripts/ensure-venv-support.sh && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install budgetlib with its dependencies

system-deps: ## install the CJK font, Chromium and LibreOffice (Debian packages)
	bash scripts/install-system-deps.sh

parse: setup ## parse data/raw/ into data/processed/
	$(BIN)/budgetlib parse

check: setup ## run the audit checks on data/processed/
	$(BIN)/budgetlib check

reports: setup ## the main job: parse, check and report over data/raw/
	$(BIN)/budgetlib run

test: setup system-deps ## run the test suite
	$(BIN)/python -m pytest

BENCH_ARGS ?=
bench: setup ## parse, check and report throughput against floors (writes bench/results.json); BENCH_ARGS="--end-to-end 1000" adds the whole job
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/pdf.py

clean: ## remove generated output (never data/raw/)
	rm -rf data/processed reports bench/results.json bench/pdf_results.json
