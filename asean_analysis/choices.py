"""The values a parameter may take, light to import: the command line checks parameters with these
before any data library loads, and the analysis modules use the same definitions.
"""

import csv

from . import context, paths
from .errors import DataError
from .fetch import fetch_one, sha256
from .manifest import resource

# gdp_source key -> dataset of data/datapackage.json
GDP_SOURCES = {
    "wdi-2024-10": "wdi-gdp-2024-10",
    "wdi-2025-12": "wdi-gdp-2025-12",
    "wdi-2026-07": "wdi-gdp-2026-07",
    "imf-2024-04": "imf-weo-2024-04",
    "imf-2024-10": "imf-weo-2024-10",
    "imf-2025-10": "imf-weo-2025-10",
}
# population_vintage key -> dataset
POPULATION_SOURCES = {"wdi-2026-07": "wdi-pop-2026-07", "wdi-2024-12": "wdi-pop-2024-12"}
GAP_POLICIES = ("drop", "interpolate", "carry_forward")
ASIA_DEFINITIONS = {
    "m49": "UN M49 region Asia (Eastern, South-eastern, Southern, Central and Western Asia)",
    "m49-excl-western-asia": "UN M49 Asia without Western Asia (the Middle East and the Caucasus)",
}
NETWORK_VIEWS = ("reporter", "mirror", "baci")

M49 = "un-m49"
M49_CODE_COLUMN = "ISO-alpha3 Code"
OUTSIDE_M49 = "economies_outside_m49.csv"


def _column(path, encoding: str, column: str, what: str) -> set[str]:
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle)
        if column not in (reader.fieldnames or []):
            raise DataError(f"{what} ({path}) has no column {column!r}; restore the pinned file")
        return {row[column] for row in reader if row[column]}


def economy_codes() -> frozenset[str]:
    """ISO3 codes of every economy a member set may name: UN M49's and the economies it does not list.

    The same codes as ``regions.classification()["code"]``, read with the csv module; both files are
    declared as inputs of the active run, as the data-frame loaders do.
    """
    path = fetch_one(M49)
    codes = _column(path, resource(M49).encoding, M49_CODE_COLUMN, f"dataset {M49!r}")
    extra = paths.REFERENCE / OUTSIDE_M49
    if not extra.is_file():
        raise DataError(f"reference table {extra} is missing; restore it from git")
    codes |= _column(extra, "utf-8", "code", f"reference table {OUTSIDE_M49}")
    run = context.active()
    if run is not None:
        run.note_input(M49, resource(M49).sha256)
        run.note_input(f"reference/{OUTSIDE_M49}", sha256(extra))
    return frozenset(codes)
