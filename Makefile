# chainkg: `make run` serves the bundled Changzhou graph; `make test` runs every test.
# Both work on a fresh machine with only Python 3.11 and make: the virtual environment
# is created and filled here.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: help install run test lint typecheck unit clean neo4j neo4j-stop reliability bench

help:  ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 is needed (python3.11 or python3 on PATH)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)  ## Create .venv and install chainkg with its dev tools

run: $(STAMP)  ## Serve on http://127.0.0.1:8000 (CHAINKG_HOST/CHAINKG_PORT); Neo4j: loads the data if it holds none
	@if [ "$${CHAINKG_BACKEND:-networkx}" = neo4j ]; then \
	  if [ -z "$${NEO4J_URI:-}" ]; then \
	    line=$$($(BIN)/python scripts/neo4j_server.py start) || exit 1; export "$$line"; \
	    echo "Using $$line (stop it with: make neo4j-stop)"; \
	  fi; \
	  $(BIN)/chainkg load "$${CHAINKG_DATA:-data/changzhou}" --backend neo4j --if-empty || exit 1; \
	fi; \
	exec $(BIN)/chainkg serve

neo4j:  ## Start a local Neo4j 5.26 in the background (no Docker needed); prints NEO4J_URI=...
	@$(PYTHON) scripts/neo4j_server.py start

neo4j-stop:  ## Stop the Neo4j that `make neo4j` started
	@$(PYTHON) scripts/neo4j_server.py stop

# bench replaces the graph of the Neo4j it uses: a throw-away one (NEO4J_URI is ignored, so the graph
# of `make neo4j` is never touched), unless BENCH_NEO4J_URI names one (refused if it holds a graph).
bench: $(STAMP)  ## Benchmarks (1k-1M firms, networkx vs Neo4j, API); writes bench/results.{json,md}; ~15 min
	@if [ -n "$${BENCH_NEO4J_URI:-}" ]; then \
	  exec $(BIN)/python bench/run.py; \
	fi; \
	exec env -u NEO4J_URI -u NEO4J_DATABASE \
	  CHAINKG_NEO4J_HEAP=$${CHAINKG_NEO4J_HEAP:-2g} CHAINKG_NEO4J_PAGECACHE_MB=$${CHAINKG_NEO4J_PAGECACHE_MB:-512} \
	  $(BIN)/python scripts/neo4j_server.py run --optional -- $(BIN)/python bench/run.py

lint: $(STAMP)  ## ruff
	$(BIN)/ruff check .

typecheck: $(STAMP)  ## mypy on graph/ and queries/
	$(BIN)/mypy

unit: $(STAMP)  ## The test suite only (no lint)
	$(BIN)/python -m pytest

test: $(STAMP)  ## Everything: lint, types, and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/mypy
	@sh scripts/ensure_browser.sh
	$(BIN)/python scripts/neo4j_server.py run --optional -- $(BIN)/python -m pytest

reliability: $(STAMP)  ## Long run: 50 clients x 60 s on both stores, Neo4j outages, big fuzz (docs/reliability.md)
	$(BIN)/python -m reliability

clean:  ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
