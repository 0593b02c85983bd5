# Redcell developer commands. `make dev` and `make test` work on a fresh machine with Python 3.11 only.
SHELL := bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_DIR := .dev
STAMP := $(VENV)/.installed
# make test's pytest-xdist workers, each with its own servers: one for the platform's tests, one for the rest
TEST_WORKERS ?= 2

help: ## List targets
	@awk 'BEGIN{FS=":.*##"} /^[a-zA-Z_-]+:.*##/{printf "  %-10s %s\n",$$1,$$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev,local]'
	@touch $(STAMP)

install: $(STAMP) ## Create the virtual environment and install the locked dependencies

dev: $(STAMP) ## Start PostgreSQL, Redis, S3, migrate, load demo districts, run every process
	$(BIN)/python -m deploy.system_packages ensure fonts ocr  # the PDFs' Chinese font, OCR of scans
	$(BIN)/python -m deploy.local_servers up --root $(DEV_DIR) --cell east  # a second PostgreSQL: a database cell
	set -a; . $(DEV_DIR)/env; . deploy/dev.env; set +a; \
	  $(BIN)/redcell migrate --bootstrap && \
	  $(BIN)/redcell demo load && \
	  exec $(BIN)/honcho -f deploy/Procfile.dev start

down: ## Stop the development servers (data is kept in .dev/)
	@test ! -f $(DEV_DIR)/servers.json || $(BIN)/python -m deploy.local_servers down --root $(DEV_DIR)

test: $(STAMP) ## Run the whole test suite against real servers it starts itself (and a real browser)
	$(BIN)/python -m deploy.system_packages ensure
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --durations=25

screenshots: $(STAMP) ## The browser tests, writing every page's screenshot to build/screenshots/
	$(BIN)/python -m deploy.system_packages ensure
	REDCELL_SCREENSHOTS=build/screenshots $(BIN)/python -m pytest -q -n $(TEST_WORKERS) tests/console tests/seeds

lint: $(STAMP) ## ruff, mypy and the import contracts
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP) ## Benchmarks; figures go to docs/benchmarks.md
	$(BIN)/python -m tests.bench.run --write docs/benchmarks.md

lock: ## Re-resolve requirements.lock from pyproject.toml
	$(BIN)/pip-compile -q --extra dev --extra local --strip-extras --no-emit-index-url --no-emit-find-links \
	  --no-emit-trusted-host --allow-unsafe -o requirements.lock pyproject.toml

.PHONY: help install dev down test screenshots lint bench lock
