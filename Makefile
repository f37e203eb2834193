# Pelvio: `make run` serves the app with demo data, `make test` runs every test.
# Both create the virtual environment in .venv from the pinned constraints on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PELVIO := $(BIN)/pelvio
CONSTRAINTS := requirements/constraints.txt
CHROMIUM ?= /usr/bin/chromium

export PELVIO_DATA_DIR ?= $(CURDIR)/var

.PHONY: messages run test install install-dev lint typecheck unit browser-deps bench lock clean help

help:
	@echo "make run    serve Pelvio with demo data at http://127.0.0.1:8000 (SQLite under ./var/)"
	@echo "make test   lint, types and the whole test suite (SQLite, PostgreSQL, browser)"
	@echo "make bench  the benchmarks in bench/ (installs the peer libraries first)"
	@echo "make lock   re-pin requirements/constraints.txt from pyproject.toml"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24,<27"

$(VENV)/.installed: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	PELVIO_ENV=development $(PELVIO) db upgrade
	PELVIO_ENV=development $(PELVIO) demo --if-empty
	PELVIO_ENV=development $(PELVIO) serve

lint: install-dev
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

typecheck: install-dev
	$(BIN)/mypy src tests $(wildcard bench)

browser-deps:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium at $(CHROMIUM): run 'sudo apt-get install chromium'" >&2; exit 1; \
	  fi; \
	fi

unit: install-dev browser-deps
	PELVIO_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -n 2 --dist loadgroup

test: lint typecheck unit

bench: install-dev
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[dev,bench]'
	$(BIN)/python -m bench

lock:
	$(BIN)/pip install --quiet "uv>=0.4,<1"
	$(BIN)/uv pip compile pyproject.toml --all-extras --python-version 3.11 --quiet \
	  --no-header --output-file $(CONSTRAINTS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

# Texts of the shared pages go to src/pelvio/locale, each feature's to src/pelvio/<feature>/locale
# (create src/pelvio/<feature>/locale/nl/LC_MESSAGES/ to give a feature its own catalog).
EXTRACT = $(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k N_ -k ngettext:1,2 --no-location \
	  --sort-output --project Pelvio
messages: install-dev
	@mkdir -p var
	$(EXTRACT) -o var/messages.pot src/pelvio/web src/pelvio/accounts src/pelvio/server
	$(BIN)/pybabel update --no-fuzzy-matching -i var/messages.pot -d src/pelvio/locale -l nl
	@for dir in src/pelvio/*/locale; do \
	  feature=$$(basename $$(dirname $$dir)); \
	  $(EXTRACT) -o var/$$feature.pot src/pelvio/$$feature && \
	  $(BIN)/pybabel update --no-fuzzy-matching -i var/$$feature.pot -d $$dir -l nl; \
	done
