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

.PHONY: serve build test check pages clean import new linkcheck lighthouse bench bench-serve bench-search bench-search-scale

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	{ command -v chromium && fc-list | grep -q "Noto Sans CJK"; } >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }
	touch $@

pages: $(STAMP)
	$(PY) scripts/build_pages.py

check: $(STAMP)
	$(PY) scripts/build_pages.py --check

build: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

# `make serve CASE=<id>`: a preview of that one case and the pages that list it (scripts/preview_case.py).
serve: $(STAMP)
	$(if $(CASE),$(PY) scripts/preview_case.py "$(CASE)" --port 8000,$(VENV)/bin/mkdocs serve --dirty --no-strict --dev-addr 127.0.0.1:8000)

test: $(TEST_STAMP)
	$(PY) -m pytest

# Lighthouse (npm, pinned by bench/lighthouse/package-lock.json) against Debian's chromium; not part of `make test`.
LIGHTHOUSE := bench/lighthouse/node_modules/.bin/lighthouse
$(LIGHTHOUSE): bench/lighthouse/package.json bench/lighthouse/package-lock.json
	cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	touch $@

lighthouse: build $(LIGHTHOUSE)
	$(PY) bench/lighthouse.py

# Search benchmark (bench/RESULTS.md): cold search page loads on the built site, without and with gzip.
bench-search: $(TEST_STAMP) build
	$(PY) bench/search_bench.py site
	$(PY) bench/search_bench.py site --gzip

# The same on a synthetic corpus (SYNTH_CASES cases plus the real ones; 10,000 take about half an hour to build).
SYNTH_CASES ?= 10000
bench-search-scale: $(TEST_STAMP)
	$(PY) bench/search_synth.py --cases $(SYNTH_CASES) --out bench/out/search-$(SYNTH_CASES) --site
	$(PY) bench/search_bench.py bench/out/search-$(SYNTH_CASES)/site
	$(PY) bench/search_bench.py bench/out/search-$(SYNTH_CASES)/site --gzip

clean:
	rm -rf site test-artifacts
	rm -rf docs/index.md docs/models docs/measures docs/metrics docs/tags docs/regions docs/sources docs/matrix docs/compare docs/data docs/feed.xml docs/feeds

# Import an article: make import ARTICLE=path/to/article.txt ID=case-id [PROVINCE=key]
import: $(STAMP)
	@test -n "$(ARTICLE)" -a -n "$(ID)" || { echo "usage: make import ARTICLE=path/to/article.txt ID=case-id [PROVINCE=key]"; exit 2; }
	$(PY) scripts/import_source.py "$(ARTICLE)" --id "$(ID)" $(if $(PROVINCE),--province "$(PROVINCE)")

# A blank, commented record: make new ID=case-id PROVINCE=key
new: $(STAMP)
	@test -n "$(ID)" -a -n "$(PROVINCE)" || { echo "usage: make new ID=case-id PROVINCE=key"; exit 2; }
	$(PY) scripts/new_case.py --id "$(ID)" --province "$(PROVINCE)"

# Check the links of the built site (offline): make build linkcheck
linkcheck: $(STAMP)
	$(PY) scripts/check_links.py site

# Scale benchmark (issues 6, 17): `make bench N=1000` or `make bench N="1000 10000"`, then the one-case preview
# (`make serve CASE=<id>`) and cold searches on the largest corpus; results go in bench/RESULTS.md by hand.
N ?= 1000
bench: $(TEST_STAMP)
	$(PY) bench/scale.py $(N)
	$(PY) bench/serve_edit.py $(lastword $(N)) --preview --data bench/out/$(lastword $(N))/data
	$(PY) bench/search_bench.py bench/out/$(lastword $(N))/site --gzip

# Time from saving a case to seeing it under `mkdocs serve`, on N synthetic cases.
bench-serve: $(STAMP)
	$(PY) bench/serve_edit.py $(N)
