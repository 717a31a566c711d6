# Two commands on a fresh machine: `make demo` and `make test`. Everything else is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DBT    := $(BIN)/dbt --quiet
DBT_DIRS := --project-dir dbt_project --profiles-dir dbt_project

.PHONY: install demo test test-fast lint dev stop docs lock clean postgres-binaries chromium

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(MAKE) --no-print-directory postgres-binaries
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then \
	  echo "no system PostgreSQL: installing the pgserver wheel for the embedded server"; \
	  $(BIN)/python -m pip install --quiet pgserver; fi
	$(DBT) parse $(DBT_DIRS)
	@touch $(STAMP)

# The embedded warehouse needs PostgreSQL's server binaries (initdb, pg_ctl): Debian's `postgresql`
# package when we may install it, else the pgserver wheel (see install).
postgres-binaries:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's postgresql package (server binaries for the embedded warehouse)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; \
	fi; true

# The UI tests drive the Dagster UI in Debian's Chromium (Playwright's own browser builds are not used).
chromium:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium and chromium-driver (browser for the UI tests)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; \
	fi; true

demo: install
	$(BIN)/clickup-elt demo

test: install chromium
	$(BIN)/python -m pytest -q -n 2

# Unit and simulator tests only (under a minute): no whole-pipeline runs, dbt builds or browser.
test-fast: install
	$(BIN)/python -m pytest -q -n 2 -m "not e2e and not dbt and not ui"

# Style and types: ruff (lint and format) over the Python, mypy over the pipeline package
# (configured in pyproject.toml), sqlfluff over the dbt models (dbt_project/.sqlfluff). No database needed.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/sqlfluff lint dbt_project/models

dev: install
	$(BIN)/clickup-elt dev

stop:
	@test -x $(BIN)/clickup-elt && $(BIN)/clickup-elt db stop || echo "nothing to stop"

docs: install
	$(BIN)/clickup-elt docs

# Re-pin every dependency after a change to pyproject.toml.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --upgrade pip
	.lockenv/bin/pip install --quiet ".[test]"
	.lockenv/bin/pip freeze --exclude clickup-elt | grep -v '^-e ' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs
