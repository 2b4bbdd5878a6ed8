# Maillage — every target bootstraps what it needs on a bare machine (Python 3.11, make, node/npm).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export MAILLAGE_HOST := $(HOST)
export MAILLAGE_PORT := $(PORT)

.DEFAULT_GOAL := help
.PHONY: help install install-runtime bytecode vendor browser tools testbench bench fuzz soak build check validate test lint format serve territories eval-ingest clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# Three sets of dependencies, each a stamp: what serving and building need (the `maillage`
# package and its runtime dependencies, the web assets from npm), then the test and benchmark
# tools on top. `make serve` installs only the first: no apt, no sudo.
RUNTIME := $(VENV)/.runtime
DEVTOOLS := $(VENV)/.devtools

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(DEVTOOLS): pyproject.toml $(RUNTIME)
	$(BIN)/pip install --quiet -e '.[test,bench,ingest]'
	@touch $@

node_modules/.runtime: package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund --loglevel=error
	@touch $@

node_modules/.devtools: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@ node_modules/.runtime

VENDOR := server/static/vendor
vendor: $(VENDOR)/.copied  ## Copy the pages' npm assets (YASGUI, Swagger UI, vis-timeline) into the package: server/static/vendor/
$(VENDOR)/.copied: node_modules/.runtime server/vendor.py
	$(PYTHON) -m server.vendor
	@touch $@

# This workplace's shells set PYTHONDONTWRITEBYTECODE: Python then never writes __pycache__/, and
# each process the server starts (the server, its forkserver, the early answers) compiled every
# module of ours again from source. They are compiled here, once (compileall is incremental: only
# what changed since), and read from __pycache__/ at each start, which that setting allows
# (docs/performance.md, « The cold start and bytecode »).
bytecode: $(RUNTIME)  ## Compile our modules to bytecode (__pycache__/), so that no process compiles them at start
	$(BIN)/python -m compileall -q maillage server

install-runtime: $(RUNTIME) node_modules/.runtime vendor bytecode  ## Install what serving and building need (Python runtime dependencies, web assets); no apt, no sudo

install: $(DEVTOOLS) node_modules/.devtools vendor bytecode browser tools testbench  ## Install everything: runtime, test and benchmark tools (Python, npm, Debian), the reconciliation test bench

# The W3C Entity Reconciliation Community Group's test bench (a React app, read-only in ../shared),
# driven in Chromium by tests/e2e/test_reconciliation_testbench.py. Built outside ../shared, in
# build/testbench/ (git ignores build/), from the lockfile we keep, to dist/ served from its root.
TESTBENCH_SRC := ../shared/test-suites/reconciliation/testbench
TESTBENCH := build/testbench
TESTBENCH_LOCK := tests/reconciliation/testbench-package-lock.json
testbench: $(TESTBENCH)/.built  ## Build the Reconciliation CG's test bench (npm, from ../shared) into build/testbench/dist/
$(TESTBENCH)/.built: $(TESTBENCH_LOCK) $(shell find $(TESTBENCH_SRC) -type f 2>/dev/null)
	@test -f $(TESTBENCH_SRC)/package.json || { echo "$(TESTBENCH_SRC) is missing: the shared test suites sit beside the repository"; exit 1; }
	rm -rf $(TESTBENCH) && mkdir -p $(TESTBENCH)
	cp -R $(TESTBENCH_SRC)/. $(TESTBENCH)/ && chmod -R u+w $(TESTBENCH)
	cp $(TESTBENCH_LOCK) $(TESTBENCH)/package-lock.json
	cd $(TESTBENCH) && npm ci --no-audit --no-fund --loglevel=error && npm run build -- --base=/ --logLevel=warn
	@touch $@

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
browser:  ## Install Debian's Chromium and chromedriver for the page tests, when missing
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver)

tools:  ## Install Debian's wrk, nginx, Virtuoso, Apache and mimalloc (benchmark, scale-out, remote-store and w3id tests; the query workers' malloc), when missing
	@command -v wrk >/dev/null && test -x /usr/sbin/nginx && command -v virtuoso-t >/dev/null && \
		test -x /usr/sbin/apache2 && /sbin/ldconfig -p | grep -q libmimalloc.so.2 || \
		($(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			wrk nginx virtuoso-opensource apache2-bin libmimalloc2.0)

territories: install-runtime  ## Regenerate data/reference/territories.ttl from @etalab/decoupage-administratif
	$(BIN)/python -m maillage.reference

check: install-runtime  ## Check the claim files (syntax, vocabulary, quotes) and that every sentence is claimed or listed, without building
	$(BIN)/maillage check

build: install-runtime  ## Build, validate and publish a release to var/current/
	$(BIN)/maillage build

validate: install-runtime  ## Validate the data against the SHACL shapes, print the report
	$(BIN)/maillage validate

serve: install-runtime  ## Serve the live release on http://$(HOST):$(PORT) (builds one first if none exists)
	$(BIN)/maillage serve

lint: $(DEVTOOLS)  ## Ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEVTOOLS)  ## Apply ruff formatting and fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install lint  ## Lint, then run the whole test suite
	$(BIN)/pytest -q

SIZES ?= 100k,1M
bench: $(DEVTOOLS) tools bytecode  ## Benchmark against raw Oxigraph and rdflib-endpoint at 100k and 1M (make bench SIZES=10M: the 10M release against raw Oxigraph, on its own); table in bench/results/
	$(BIN)/python -m bench.run --sizes $(SIZES)
	$(BIN)/python -m bench.fuzz
	$(BIN)/python -m bench.soak

soak: $(DEVTOOLS) bytecode  ## Serve the 10k release to 32 clients for 10 minutes (dereferencing, SPARQL, downloads, search, reconciliation): statuses and RSS in bench/results/soak-*.md
	$(BIN)/python -m bench.soak

fuzz: $(DEVTOOLS) bytecode  ## Send 10,000 generated and mutated SPARQL queries to a server on the 10k release; answers by status in bench/results/fuzz-*.md
	$(BIN)/python -m bench.fuzz

eval-ingest: $(DEVTOOLS)  ## Measure ingest by leave-one-out over the documents: the table (printed, and build/eval-ingest/table.md), the misses (build/eval-ingest/misses.md)
	$(BIN)/python -m maillage.ingest.evaluate

clean:  ## Remove the virtualenv, node_modules, releases and the test bench build
	rm -rf $(VENV) node_modules var $(TESTBENCH)
