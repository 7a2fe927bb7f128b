"""Repository-rooted paths. Nothing here depends on the current working directory.

Configuration, read (never written) from the environment: ``ASEAN_DATA_MIRROR`` (the local data
mirror; default ``../shared/data`` beside the repository), ``ASEAN_DATA_DIR`` (holds ``raw/``;
default ``data/``), ``ASEAN_MANIFEST`` (the data manifest; default ``data/datapackage.json``),
``ASEAN_CACHE_DIR`` (parsed datasets and executed notebooks kept for reruns; default ``.cache/``)
and ``ASEAN_RUNS_DIR`` (exploratory runs; default ``runs/``). Where a run writes is not
configuration: it is the run context (:mod:`context`).
"""

import os
from pathlib import Path


def _find_root() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent, *here.parents):
        if (candidate / "data" / "datapackage.json").is_file():
            return candidate
    raise RuntimeError(
        "asean_analysis cannot find its repository (no data/datapackage.json above "
        f"{here}); install it in editable mode: pip install -e ."
    )


ROOT = _find_root()
DATA = ROOT / "data"
REGISTRY = DATA / "claims.yaml"
REFERENCE = DATA / "reference"
NOTEBOOKS = ROOT / "notebooks"
OUTPUTS = ROOT / "outputs"


def manifest() -> Path:
    """The data manifest (datapackage.json)."""
    return Path(os.environ.get("ASEAN_MANIFEST", DATA / "datapackage.json")).resolve()


def cache_dir() -> Path:
    """Rerun cache: parsed datasets (parquet) and executed notebooks."""
    return Path(os.environ.get("ASEAN_CACHE_DIR", ROOT / ".cache")).resolve()


def data_dir() -> Path:
    """Folder that holds ``raw/`` (the fetched inputs)."""
    return Path(os.environ.get("ASEAN_DATA_DIR", DATA)).resolve()


def mirror_dir() -> Path:
    """The local mirror of the public data."""
    return Path(os.environ.get("ASEAN_DATA_MIRROR", ROOT.parent / "shared" / "data")).resolve()


def runs_dir() -> Path:
    """Exploratory runs (reruns, sweeps, notebooks opened by hand): git-ignored, never ``outputs/``."""
    return Path(os.environ.get("ASEAN_RUNS_DIR", ROOT / "runs")).resolve()
