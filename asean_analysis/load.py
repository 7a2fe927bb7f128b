"""Loaders: one function per source, each returning a tidy frame with checked columns.

Every loader goes through :func:`read`, which fetches the file if needed, verifies its sha256,
parses it and checks its header against the manifest's schema, so a changed or broken input
fails with an error that names the dataset, the problem and the fix.
"""

from functools import cache

import pandas as pd

from . import paths
from .errors import DataError
from .fetch import fetch_one
from .manifest import resource

GDP_SOURCES = {
    "wdi-2024-10": "wdi-gdp-2024-10",
    "wdi-2025-12": "wdi-gdp-2025-12",
    "wdi-2026-07": "wdi-gdp-2026-07",
    "imf-2024-04": "imf-weo-2024-04",
    "imf-2024-10": "imf-weo-2024-10",
    "imf-2025-10": "imf-weo-2025-10",
}


@cache
def _read(name: str, dtype_str: bool) -> pd.DataFrame:
    res = resource(name)
    path = fetch_one(name)
    try:
        frame = pd.read_csv(
            path, encoding=res.encoding, keep_default_na=False, na_values=[""],
            dtype=str if dtype_str else None, low_memory=False,
        )
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataError(
            f"dataset {name!r}: {path} is not a well-formed CSV ({exc}); delete it and run "
            "`python -m asean_analysis fetch` to restore the pinned copy"
        ) from exc
    found, expected = tuple(frame.columns), res.fields
    if found != expected:
        missing = [c for c in expected if c not in found]
        extra = [c for c in found if c not in expected]
        raise DataError(
            f"dataset {name!r}: columns differ from the manifest schema (missing: {missing or 'none'}; "
            f"unexpected: {extra or 'none'}); restore the pinned file or update its schema in data/datapackage.json"
        )
    return frame


def read(name: str, *, dtype_str: bool = False) -> pd.DataFrame:
    """The raw table of dataset ``name`` (a copy: callers may modify it)."""
    return _read(name, dtype_str).copy()


def _numeric(frame: pd.DataFrame, column: str, name: str) -> pd.Series:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = frame.loc[values.isna() & frame[column].notna(), column]
    if len(bad):
        raise DataError(
            f"dataset {name!r}: column {column!r} has {len(bad)} non-numeric values (first: {bad.iloc[0]!r}); "
            "restore the pinned file"
        )
    return values


def wdi(name: str) -> pd.DataFrame:
    """A World Bank WDI indicator file -> iso3, name, year, value (aggregates included)."""
    raw = read(name)
    return pd.DataFrame({
        "iso3": raw["Country Code"], "name": raw["Country Name"],
        "year": _numeric(raw, "Year", name).astype("int64"), "value": _numeric(raw, "Value", name),
    }).dropna(subset=["value"]).reset_index(drop=True)


def imf_weo(name: str, concept: str) -> pd.DataFrame:
    """An IMF WEO extract -> iso3, name, year, value, unit, is_estimate (later than the last actual year)."""
    raw = read(name)
    raw = raw[raw["concept"] == concept]
    if raw.empty:
        raise DataError(f"dataset {name!r} has no rows for concept {concept!r}; pick one of NGDPD, NGDPDPC, PPPGDP, LP")
    last = pd.to_numeric(raw["last_actual_year"], errors="coerce")
    out = pd.DataFrame({
        "iso3": raw["iso3"], "name": raw["area_name"], "year": raw["year"].astype("int64"),
        "value": _numeric(raw, "value", name), "unit": raw["unit"], "is_estimate": raw["year"] > last,
    })
    return out.dropna(subset=["iso3", "value"]).reset_index(drop=True)


def gdp(source: str) -> pd.DataFrame:
    """Nominal GDP in current US$ -> iso3, name, year, gdp_usd, is_estimate, for a source key of GDP_SOURCES."""
    if source not in GDP_SOURCES:
        raise DataError(f"unknown GDP source {source!r}; pick one of {', '.join(GDP_SOURCES)}")
    name = GDP_SOURCES[source]
    if source.startswith("imf"):
        frame = imf_weo(name, "NGDPD")
        frame["gdp_usd"] = frame.pop("value") * 1e9  # NGDPD is in billions of US$
        return frame.drop(columns="unit")
    frame = wdi(name).rename(columns={"value": "gdp_usd"})
    frame["is_estimate"] = False
    return frame


def m49() -> pd.DataFrame:
    """UN M49 -> iso3, name, m49, region, subregion, intermediate_region (one row per country or area)."""
    raw = read("un-m49", dtype_str=True).fillna("")
    return pd.DataFrame({
        "iso3": raw["ISO-alpha3 Code"], "name": raw["Country or Area"], "m49": raw["M49 Code"],
        "region": raw["Region Name"], "subregion": raw["Sub-region Name"],
        "intermediate_region": raw["Intermediate Region Name"],
    })


def reference(filename: str) -> pd.DataFrame:
    """A small table kept in the project under ``data/reference/`` (transcribed facts with citations)."""
    path = paths.REFERENCE / filename
    if not path.is_file():
        raise DataError(f"reference table {path} is missing; restore it from git")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def article() -> str:
    """The op-ed's text (pinned by sha256 like every other input)."""
    return fetch_one("article").read_text(encoding="utf-8")
