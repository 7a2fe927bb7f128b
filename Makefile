# The two commands of the README:  make reproduce  |  make test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: reproduce test fetch browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (asean-claims)" >/dev/null
	touch $(STAMP)

fetch: $(STAMP)
	$(PY) -m asean_analysis fetch

reproduce: fetch
	$(PY) -m asean_analysis reproduce

# Headless Chromium for the report's browser test (Debian packages; needs root). Without it that test skips.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "note: chromium is not installed (needs root and apt-get): the browser test will skip"; fi; }

test: fetch browser
	$(PY) -m pytest

clean:
	rm -rf $(VENV) data/raw
