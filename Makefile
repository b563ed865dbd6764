# ImpactCircle — the commands the README gives.
#   make run    install what is needed, prepare the database, serve on http://127.0.0.1:8000/
#   make test   run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
#   make lint   ruff (check + format --check), mypy, import-linter
#   make e2e    browser smoke test with Playwright and Debian's Chromium
#   make bench  benchmarks (see bench/README.md)
#   make bench-load  the load test: 100,000-person demo, gunicorn, 50 locust users (bench/load)
#   make fuzz   schemathesis over the whole API schema (tests/api_fuzz; FUZZ_EXAMPLES per operation)

VENV        := .venv
BIN         := $(VENV)/bin
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt
RUNTIME     := $(VENV)/.installed-runtime
DEVELOPMENT := $(VENV)/.installed-development
BENCH       := $(VENV)/.installed-bench
# The load test's own SQLite data folder (ignored when DATABASE_URL is set); add options with
# LOAD_ARGS, e.g. make bench-load LOAD_ARGS="--users 20 --run-time 1m".
LOAD_DATA   := var/load

.PHONY: run test lint format e2e fuzz bench bench-load demo lock clean

$(BIN)/python:
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

$(RUNTIME): pyproject.toml requirements/constraints.txt | $(BIN)/python
	@echo "Installing ImpactCircle and its pinned dependencies…"
	$(PIP_INSTALL) -e .
	@touch $@

$(DEVELOPMENT): pyproject.toml requirements/constraints.txt | $(BIN)/python
	@echo "Installing ImpactCircle with its test and lint tools…"
	$(PIP_INSTALL) -e '.[dev]'
	@touch $@ $(RUNTIME)

$(BENCH): pyproject.toml requirements/constraints.txt | $(BIN)/python
	@echo "Installing ImpactCircle with the load-test tools (locust)…"
	$(PIP_INSTALL) -e '.[bench]'
	@touch $@ $(RUNTIME)

run: $(RUNTIME)
	$(BIN)/impactcircle run

demo: $(RUNTIME)
	$(BIN)/impactcircle demo

test: $(DEVELOPMENT)
	$(BIN)/pytest -n 2

lint: $(DEVELOPMENT)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(DEVELOPMENT)
	$(BIN)/ruff check --fix src tests $(wildcard bench)
	$(BIN)/ruff format src tests $(wildcard bench)

e2e: $(DEVELOPMENT)
	@test -x /usr/bin/chromium || { echo "Browser tests need Debian's chromium: apt-get install -y chromium"; exit 1; }
	$(BIN)/pytest -m e2e tests/e2e -p no:xdist

fuzz: $(DEVELOPMENT)
	$(BIN)/pytest -m api_fuzz tests/api_fuzz -n 2 -q

bench: $(DEVELOPMENT)
	$(BIN)/python bench/matching/run.py

bench-load: $(BENCH)
	$(BIN)/python bench/load/run.py $(if $(DATABASE_URL),,--data-dir $(LOAD_DATA)) $(LOAD_ARGS)

# Regenerate the pinned constraints from a fresh environment (names and versions only).
lock:
	rm -rf .venv-lock && "$$(scripts/find-python)" -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet -e '.[dev,bench]'
	.venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements/constraints.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) var
