"""Which rows are economies (not aggregates) and where they are, from UN M49.

World Bank and IMF files mix countries with aggregates (WLD, EAS, G001...). An economy is a
code listed by UN M49, or one of the few economies M49 does not list
(``data/reference/economies_outside_m49.csv``). Everything else is an aggregate; callers show the
dropped rows instead of losing them silently.
"""

import pandas as pd

from .choices import ASIA_DEFINITIONS
from .errors import ParameterError
from .load import m49, reference


def classification() -> pd.DataFrame:
    """code -> name, region, subregion for every economy (M49 plus the listed exceptions)."""
    base = m49()[["iso3", "name", "region", "subregion"]].rename(columns={"iso3": "code"})
    base = base[base["code"] != ""]
    extra = reference("economies_outside_m49.csv")[["code", "name", "region", "subregion"]]
    return pd.concat([base, extra], ignore_index=True)


def split_economies(frame: pd.DataFrame, code: str = "iso3") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(economies with region columns, dropped rows) of a frame keyed by ``code``."""
    cls = classification().rename(columns={"name": "m49_name"})
    merged = frame.merge(cls, how="left", left_on=code, right_on="code", validate="many_to_one")
    keep = merged["region"].notna()
    return merged[keep].drop(columns=["code"]).reset_index(drop=True), frame[~keep.to_numpy()].reset_index(drop=True)


def in_asia(frame: pd.DataFrame, definition: str) -> pd.Series:
    """Boolean mask: the rows (with region columns) that are in Asia under ``definition``."""
    if definition not in ASIA_DEFINITIONS:
        raise ParameterError(f"unknown asia_definition {definition!r}; pick one of {', '.join(ASIA_DEFINITIONS)}")
    mask = frame["region"] == "Asia"
    if definition == "m49-excl-western-asia":
        mask &= frame["subregion"] != "Western Asia"
    return mask
