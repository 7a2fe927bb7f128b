"""Root conftest: applies to tests/ and to the notebooks nbval re-executes.

Kernels inherit this configuration: exploratory runs (nbval executes the committed notebooks with
their defaults, so each opens a new run folder) go to a temporary folder, and every session starts
with an empty rerun cache. This sets configuration only; where a run writes is its run context.

nbval's items run first: each committed notebook is executed once per session, by nbval, and the
article-run fixture (tests/conftest.py) reads the records those runs left instead of executing the
notebooks a second time.
"""

import os
import tempfile

os.environ.setdefault("ASEAN_RUNS_DIR", tempfile.mkdtemp(prefix="asean-runs-"))
os.environ.setdefault("ASEAN_CACHE_DIR", tempfile.mkdtemp(prefix="asean-cache-"))


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: not str(item.path).endswith(".ipynb"))  # stable: notebooks first, in order
