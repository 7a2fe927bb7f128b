# The two commands of the README:  make reproduce  |  make test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: reproduce test fetch lint browser clean

# The virtual environment, with the exact versions of requirements.lock (the figures are byte-identical
# only with the same matplotlib, pandas and numpy).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --upgrade pip
	$(PY) -m pip install -qq -c requirements.lock -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (asean-claims)" >/dev/null
	touch $(STAMP)

fetch: $(STAMP)
	$(PY) -m asean_analysis fetch

# Publish: every notebook with the article's parameters, built aside and switched into outputs/ in one
# step; then-and-now vintages, results data package, report; the committed notebooks and README tables.
reproduce: fetch
	$(PY) -m asean_analysis reproduce

lint: $(STAMP)
	$(PY) -m ruff check asean_analysis tests benchmarks
	$(PY) -m mypy

# Headless Chromium and its driver for the report's browser tests (Debian packages; needs root; Selenium
# drives them and never downloads a driver). Without them those tests skip.
browser:
	@{ command -v chromium && command -v chromedriver; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "note: chromium or chromedriver is not installed (needs root and apt-get): the browser tests will skip"; fi; }

test: fetch browser lint
	$(PY) -m pytest

clean:
	rm -rf $(VENV) data/raw
