# Two commands on a fresh machine: `make demo` and `make test`. Everything they need is installed here.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The read-only data mirror beside the checkout, or beside the local repository this one was
# cloned from (`git clone . /tmp/x` keeps using the mirror); without one `redline data fetch`
# downloads the sources.
ORIGIN := $(shell git config --get remote.origin.url 2>/dev/null)
MIRROR := $(firstword $(foreach d,$(abspath ../shared/data) \
            $(if $(filter /%,$(ORIGIN)),$(abspath $(ORIGIN)/../shared/data)), \
            $(if $(wildcard $(d)/SOURCES.md),$(d))) $(abspath ../shared/data))
# REDLINE_DATA from the environment wins; else the mirror when present; else ./data (fetched)
REDLINE_DATA ?= $(if $(wildcard $(MIRROR)/SOURCES.md),$(MIRROR),$(abspath data))
export REDLINE_DATA

.PHONY: demo test lint bench fuzz screenshots system-deps venv clean

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# Debian packages: ICU headers (pyicu, pulled in by rigour, builds from source).
system-deps:
	@if ! dpkg -s libicu-dev >/dev/null 2>&1 || ! command -v pkg-config >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends libicu-dev pkg-config; \
	  else echo "install libicu-dev and pkg-config (Debian) first" >&2; exit 1; fi; fi
	@# report/serve: Pango for WeasyPrint PDFs, fonts (CJK names), pdftoppm for the PDF test, chromium for the dashboard test
	@if ! dpkg -s libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-wqy-zenhei poppler-utils chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-wqy-zenhei poppler-utils chromium; \
	  else echo "install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-wqy-zenhei poppler-utils chromium (Debian) first" >&2; exit 1; fi; fi

	@# the Spark engine (make test runs its tests): a Java runtime
	@if ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; \
	  else echo "install openjdk-17-jre-headless (Debian) first" >&2; exit 1; fi; fi

data/.fetched: | $(STAMP)
	$(BIN)/redline data fetch --into data
	@touch $@

demo-data:
	@if [ ! -f "$(REDLINE_DATA)/SOURCES.md" ] && [ "$(REDLINE_DATA)" = "$(abspath data)" ]; then \
	  $(MAKE) --no-print-directory data/.fetched; fi

demo: $(STAMP) demo-data
	$(BIN)/redline --store demo.duckdb demo --output reports/demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(STAMP) lint
	$(BIN)/pytest -q
	@$(BIN)/python -c "import pyspark" 2>/dev/null || $(BIN)/pip install --quiet -e '.[dev,spark]'
	$(BIN)/pytest -q -m spark

# the long fuzz run: ten times the cases of `make test`, on a fresh seed (printed on failure)
FUZZ_SEED  ?= $(shell date +%s)
FUZZ_CASES ?= 100000
fuzz: $(STAMP)
	@echo "fuzz seed $(FUZZ_SEED), $(FUZZ_CASES) cases"
	REDLINE_FUZZ_SEED=$(FUZZ_SEED) REDLINE_FUZZ_CASES=$(FUZZ_CASES) $(BIN)/pytest -q tests/hardening/test_fuzz.py --timeout 3600

# the bench extra (nomenklatura, the matcher's open-source anchor) only where benchmarks run
$(VENV)/.bench-installed: pyproject.toml | $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	@touch $@

bench: $(STAMP) $(VENV)/.bench-installed
	$(BIN)/python -m bench.run

# the dashboard screenshots in docs/ (the web test writes them to a temporary folder otherwise)
screenshots: $(STAMP)
	REDLINE_SCREENSHOTS=$(abspath docs/screenshots) $(BIN)/pytest -q tests/web

clean:
	rm -rf $(VENV) demo.duckdb reports
