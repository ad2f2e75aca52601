# Balise — two commands: `make run` and `make test`.
PYTHON ?= python3
# make run PORT=8080 HOST=0.0.0.0: where `make run` serves (8000 on this machine only by default).
PORT   ?= 8000
HOST   ?= 127.0.0.1
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
# Exact versions with their hashes (make lock): what runs is what was tested, byte for byte.
LOCK      := requirements.lock
TEST_LOCK := requirements-test.lock

.PHONY: run test bench lint typecheck system-deps node-deps clean demo lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# What running needs, no more: the test tools (Playwright, mypy, pgserver…) only come with `make test`.
$(RUN_STAMP): $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(RUN_STAMP)

$(STAMP): $(BIN)/python pyproject.toml $(TEST_LOCK)
	$(BIN)/pip install --quiet --require-hashes -r $(TEST_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP) $(RUN_STAMP)

## make lock: pin every dependency of pyproject.toml (and of its test extra) with hashes, for Python 3.11+
# The run lock is constrained by the test lock: what runs in production is what the tests ran with.
lock: $(BIN)/python
	$(BIN)/pip install --quiet "uv>=0.13,<0.14"
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" --quiet --upgrade -o $(TEST_LOCK)
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" --quiet -c $(TEST_LOCK) -o $(LOCK)

## make run [PORT=8000] [HOST=127.0.0.1]: install, create the demo municipality, serve it
run: $(RUN_STAMP)
	$(BIN)/balise demo
	@echo "Balise: http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(BIN)/balise serve --host $(HOST) --port $(PORT)

system-deps:
	bash scripts/install-system-deps.sh

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

node_modules/oidc-provider/package.json: package.json
	npm install --no-audit --no-fund --silent
	touch $@

node-deps: node_modules/axe-core/axe.min.js node_modules/oidc-provider/package.json

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

## make test: install everything tests need, lint, type-check, run the suite on SQLite then PostgreSQL
test: $(STAMP) system-deps node-deps lint typecheck
	$(BIN)/pytest -n 2 -m "not bench"
	$(BIN)/pytest -n 2 -m "not bench and not browser" --db postgresql

## make bench: the measured figures of the README (slow)
bench: $(STAMP) system-deps
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
