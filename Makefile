# Two commands set everything up: `make serve` and `make test`.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
# Same input, same bytes: MkDocs stamps sitemap dates with this instead of the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
# With ProperDocs installed, Material's banner adds a note about it unless this is set.
export DISABLE_MKDOCS_2_WARNING := true
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: serve build test check pages clean import new linkcheck lighthouse bench bench-serve bench-search bench-search-scale lock engine-ok bench-zensical

# Every install is from a lock with hashes checked (`make lock` writes the locks from the readable
# requirements*.txt); --no-build-isolation builds any source-only package with the locked setuptools.
PIP_INSTALL := $(PY) -m pip install --quiet --require-hashes --no-build-isolation
TOOLS_STAMP := $(VENV)/.installed-tools

$(TOOLS_STAMP): requirements-tools.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements-tools.lock
	touch $@

# The readable files are prerequisites too: after an edit without `make lock`, say so (the lock test fails).
LOCK_CHECK = @$(PY) scripts/lock.py --check >/dev/null || echo "NOTE: the locks are stale against requirements*.txt: run \`make lock\` (installed from the old locks)"

$(STAMP): $(TOOLS_STAMP) requirements.lock requirements.txt
	$(PIP_INSTALL) -r requirements.lock
	$(LOCK_CHECK)
	touch $@

$(TEST_STAMP): $(STAMP) requirements-test.lock requirements-test.txt
	$(PIP_INSTALL) -r requirements-test.lock
	$(LOCK_CHECK)
	{ command -v chromium && fc-list | grep -q "Noto Sans CJK"; } >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }
	touch $@

# Re-resolve every lock from requirements*.txt (PyPI only; same inputs, same bytes: scripts/lock.py). The old
# locks are not read, so one left with merge conflict markers is first replaced by HEAD's copy (uv is installed
# from requirements-tools.lock, which must parse), then everything is rewritten.
LOCKS := requirements-tools.lock requirements.lock requirements-test.lock bench/zensical/requirements.lock
lock:
	@for f in $(LOCKS); do if grep -qs '^<<<<<<< ' $$f; then echo "$$f: merge conflict markers; taking HEAD's copy first"; git checkout HEAD -- $$f; fi; done
	$(MAKE) --no-print-directory $(TOOLS_STAMP)
	$(PY) scripts/lock.py

pages: $(STAMP)
	$(PY) scripts/build_pages.py

check: $(STAMP)
	$(PY) scripts/build_pages.py --check

# The engine that renders docs/ into site/: mkdocs (MkDocs 1.6.1, the default) or properdocs (its maintained fork).
ENGINE ?= mkdocs
ENGINES := mkdocs properdocs
engine-ok:
	@case " $(ENGINES) " in *" $(ENGINE) "*) ;; *) echo "ENGINE=$(ENGINE): expected one of: $(ENGINES)"; exit 2;; esac

build: engine-ok $(STAMP)
	$(VENV)/bin/$(ENGINE) build --strict -f mkdocs.yml

# `make serve CASE=<id>`: a preview of that one case and the pages that list it (scripts/preview_case.py).
serve: engine-ok $(STAMP)
	$(if $(CASE),$(PY) scripts/preview_case.py "$(CASE)" --port 8000,$(VENV)/bin/$(ENGINE) serve -f mkdocs.yml --dirty --no-strict --dev-addr 127.0.0.1:8000)

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
	rm -rf docs/index.md docs/models docs/measures docs/metrics docs/tags docs/regions docs/sources docs/matrix docs/compare docs/data docs/search docs/feed.xml docs/feeds

# Import an article (.txt, saved .html page, .docx, or - to paste): make import ARTICLE=path/to/article.txt ID=case-id [PROVINCE=key]
import: $(STAMP)
	@test -n "$(ARTICLE)" -a -n "$(ID)" || { echo "usage: make import ARTICLE=path/to/article.{txt,html,docx} (or - to paste) ID=case-id [PROVINCE=key]"; exit 2; }
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

# The road after Material (bench/RESULTS.md): Zensical, from its own hashed lock in a venv of its own (not a
# project dependency), builds the generated docs/ of the seeds (0) and of ZN synthetic cases, against MkDocs.
ZN ?= 0 1000
ZENSICAL := bench/out/zensical-venv/bin/zensical
$(ZENSICAL): bench/zensical/requirements.lock
	test -x bench/out/zensical-venv/bin/python || $(PYTHON) -m venv bench/out/zensical-venv
	bench/out/zensical-venv/bin/python -m pip install --quiet --require-hashes -r bench/zensical/requirements.lock
	touch $@

bench-zensical: $(STAMP) $(ZENSICAL)
	$(PY) bench/zensical_trial.py $(ZENSICAL) $(ZN)

# Time from saving a case to seeing it under `mkdocs serve`, on N synthetic cases.
bench-serve: $(STAMP)
	$(PY) bench/serve_edit.py $(N)
