# Two commands set everything up: `make serve` and `make test`.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: serve build test check pages clean bench-search bench-search-scale

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }
	touch $@

pages: $(STAMP)
	$(PY) scripts/build_pages.py

check: $(STAMP)
	$(PY) scripts/build_pages.py --check

build: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

serve: $(STAMP)
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

test: $(TEST_STAMP)
	$(PY) -m pytest

# Search benchmark (bench/RESULTS.md): cold search page loads on the built site, without and with gzip.
bench-search: $(TEST_STAMP) build
	$(PY) bench/search_bench.py site
	$(PY) bench/search_bench.py site --gzip

# The same on a synthetic corpus (SYNTH_CASES cases plus the real ones; 10,000 take about half an hour to build).
SYNTH_CASES ?= 10000
bench-search-scale: $(TEST_STAMP)
	$(PY) bench/synth.py --cases $(SYNTH_CASES) --out bench/out/synth-$(SYNTH_CASES) --site
	$(PY) bench/search_bench.py bench/out/synth-$(SYNTH_CASES)/site
	$(PY) bench/search_bench.py bench/out/synth-$(SYNTH_CASES)/site --gzip

clean:
	rm -rf site test-artifacts
	rm -rf docs/index.md docs/models docs/measures docs/metrics docs/tags docs/regions docs/sources
