"""Root conftest: applies to tests/ and to the notebooks nbval re-executes.

Kernels inherit this environment: their recorded values and figures go to a temporary folder,
never into the committed outputs/, and every session starts with an empty rerun cache.
"""

import os
import tempfile

os.environ.setdefault("ASEAN_OUTPUT_DIR", tempfile.mkdtemp(prefix="asean-nbval-"))
os.environ.setdefault("ASEAN_CACHE_DIR", tempfile.mkdtemp(prefix="asean-cache-"))
