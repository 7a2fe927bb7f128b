"""Repository-rooted paths. Nothing here depends on the current working directory.

Three environment variables move the writable places (tests and reruns use them):
``ASEAN_DATA_DIR`` (holds ``raw/``; default ``data/``), ``ASEAN_DATA_MIRROR`` (the local data
mirror; default ``../shared/data`` beside the repository) and ``ASEAN_OUTPUT_DIR`` (where a
notebook records values and figures; default ``outputs/``).
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
MANIFEST = DATA / "datapackage.json"
REGISTRY = DATA / "claims.yaml"
REFERENCE = DATA / "reference"
NOTEBOOKS = ROOT / "notebooks"
OUTPUTS = ROOT / "outputs"


def data_dir() -> Path:
    """Folder that holds ``raw/`` (the fetched inputs)."""
    return Path(os.environ.get("ASEAN_DATA_DIR", DATA)).resolve()


def mirror_dir() -> Path:
    """The local mirror of the public data."""
    return Path(os.environ.get("ASEAN_DATA_MIRROR", ROOT.parent / "shared" / "data")).resolve()


def output_dir() -> Path:
    """Where the current run writes recorded values and figures."""
    return Path(os.environ.get("ASEAN_OUTPUT_DIR", OUTPUTS)).resolve()
