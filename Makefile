# Parley — `make run` serves the demo forum, `make test` runs the whole suite.
# Both create and fill their own virtual environment (.venv) on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-postgres lint format browser bench clean help

help:
	@echo "make run            serve the demo forum at http://127.0.0.1:$(PORT)"
	@echo "make test           run the whole test suite (SQLite; PostgreSQL if PARLEY_DATABASE_URL is set)"
	@echo "make test-postgres  run it against the local PostgreSQL server"
	@echo "make lint           ruff, mypy and import-linter"
	@echo "make bench          print benchmark figures"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/parley migrate --noinput
	$(BIN)/parley demo
	PORT=$(PORT) $(BIN)/parley serve

# The browser tests drive Debian's Chromium; install it when it is missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; \
	  fi; }

# axe-core for the accessibility test, from the npm registry at the pinned version (tests only).
# (A stamp, because the files npm unpacks keep the package's old dates.)
AXE := tests/browser/axe/node_modules/.installed
$(AXE): tests/browser/axe/package.json tests/browser/axe/package-lock.json
	cd tests/browser/axe && npm ci --no-audit --no-fund --silent
	touch $@

test: $(VENV)/.test-installed browser $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres:
	PARLEY_DATABASE_URL=$${PARLEY_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/parley} $(MAKE) test

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy parley
	$(BIN)/lint-imports

format: $(VENV)/.test-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.test-installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) data/test
