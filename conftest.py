"""Root conftest: applies to tests/ and to the notebooks nbval re-executes.

Kernels inherit this configuration: exploratory runs (nbval executes the committed notebooks with
their defaults, so they open a new run folder) go to a temporary folder, and every session starts
with an empty rerun cache. This sets configuration only; where a run writes is its run context.
"""

import os
import tempfile

os.environ.setdefault("ASEAN_RUNS_DIR", tempfile.mkdtemp(prefix="asean-runs-"))
os.environ.setdefault("ASEAN_CACHE_DIR", tempfile.mkdtemp(prefix="asean-cache-"))
