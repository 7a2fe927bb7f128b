# The two commands of the README:  make reproduce  |  make test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: reproduce test fetch clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (asean-claims)" >/dev/null
	touch $(STAMP)

fetch: $(STAMP)
	$(PY) -m asean_analysis fetch

reproduce: fetch
	$(PY) -m asean_analysis run --out outputs --update-notebooks

test: fetch
	$(PY) -m pytest

clean:
	rm -rf $(VENV) data/raw
