# Two commands set everything up: `make serve` and `make test`.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
# Same input, same bytes: MkDocs stamps sitemap dates with this instead of the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
# mkdocs-redirects depends on properdocs, which prints a banner unless this is set.
export DISABLE_MKDOCS_2_WARNING := true
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: serve build test check pages clean

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

clean:
	rm -rf site test-artifacts
	rm -rf docs/index.md docs/models docs/measures docs/metrics docs/tags docs/regions docs/sources docs/data docs/feed.xml
