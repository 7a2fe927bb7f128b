"""Loaders: one function per source, each returning a tidy frame with checked columns.

Every loader goes through :func:`read`, which fetches the file if needed, verifies its sha256,
parses it and checks its header against the manifest's schema, so a changed or broken input
fails with an error that names the dataset, the problem and the fix.
"""

import hashlib
import os
import threading
from functools import cache
from pathlib import Path

import pandas as pd

from . import context, paths
from .choices import GDP_SOURCES
from .errors import DataError
from .fetch import fetch_one, sha256
from .manifest import Resource, resource


def note_input(key: str, digest: str) -> None:
    """Declare an input the active run read, with its sha256 (the runner's cache keys on them)."""
    run = context.active()
    if run is not None:
        run.note_input(key, digest)


@cache
def _parser_digest() -> str:
    """What a parsed table depends on besides the file: this module's code and the library versions."""
    import pyarrow

    text = Path(__file__).read_bytes() + f"pandas {pd.__version__} pyarrow {pyarrow.__version__}".encode()
    return hashlib.sha256(text).hexdigest()[:16]


def _cached_parse(cached: Path) -> pd.DataFrame | None:
    """A parsed table from the cache if its stored hash verifies; a damaged entry is dropped."""
    stamp = cached.with_suffix(".sha256")
    if not (cached.is_file() and stamp.is_file()):
        return None
    if sha256(cached) == stamp.read_text(encoding="utf-8").strip():
        return pd.read_parquet(cached)
    cached.unlink(missing_ok=True)
    stamp.unlink(missing_ok=True)
    return None


def _parse(name: str, dtype_str: bool) -> pd.DataFrame:
    """Parse a verified file, through the parquet cache keyed by its sha256 and the parser's digest."""
    res = resource(name)
    path = fetch_one(name)
    run = context.active()
    use_cache = run is None or run.parsed_cache
    cached = paths.cache_dir() / "parsed" / f"{res.sha256}-{_parser_digest()}-{'str' if dtype_str else 'auto'}.parquet"
    if use_cache and (frame := _cached_parse(cached)) is not None:
        return frame
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
    _check_types(res, path)
    if use_cache:  # a cached table has passed the type check: it is made only after one
        _store_parse(frame, cached)
    return frame


# Plain decimal literals: a cell of this form is an integer / a number under frictionless's rules too (int(), Decimal()).
PLAIN = {"integer": r"[+-]?\d+", "number": r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"}


def plainly_typed(res: Resource, path: Path) -> bool:
    """Whether every cell of every integer and number column is empty or a plain decimal literal, so that the file has no
    type error. False leaves the verdict to frictionless (whose check imports jsonschema, ~1.5 s, and reads row by row)."""
    if not set(res.types) <= {"string", "any", *PLAIN}:
        return False
    try:
        cells = pd.read_csv(path, encoding=res.encoding, dtype=str, keep_default_na=False, low_memory=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError):
        return False
    if len(cells.columns) != len(res.types):
        return False
    return all((column.isna() | column.eq("") | column.str.fullmatch(PLAIN[kind], na=False)).all()
               for (_, column), kind in zip(cells.items(), res.types) if kind in PLAIN)


def _check_types(res: Resource, path: Path) -> None:
    """Every cell has its column's type in the manifest schema (frictionless); the first errors name row and column."""
    if all(t in ("string", "any") for t in res.types) or plainly_typed(res, path):
        return
    from frictionless import Checklist, Schema
    from frictionless import Resource as Table

    fields = [{"name": n, "type": t} for n, t in zip(res.fields, res.types)]
    table = Table(path=path.name, basepath=str(path.parent), schema=Schema.from_descriptor({"fields": fields}),
                  encoding=res.encoding)
    report = table.validate(checklist=Checklist(pick_errors=["type-error"]), limit_errors=3)
    errors = [e for task in report.tasks for e in task.errors]
    if errors:
        where = "; ".join(f"row {getattr(e, 'row_number', '?')}, column {getattr(e, 'field_name', '?')!r}: "
                          f"{getattr(e, 'cell', '')!r}" for e in errors)
        raise DataError(f"dataset {res.name!r}: cells that are not of their column's type in data/datapackage.json "
                        f"({where}); restore the pinned file, or correct the field's type in the manifest")

def _store_parse(frame: pd.DataFrame, cached: Path) -> None:
    """Keep a parsed table; a cache, not a store: a frame pyarrow cannot write, or a full disk, is no error."""
    part = cached.with_suffix(f".{os.getpid()}-{threading.get_ident()}.part")  # concurrent writers never share one
    digest = part.with_suffix(".sha256")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(part, index=False)
        digest.write_text(sha256(part), encoding="utf-8")
        digest.replace(cached.with_suffix(".sha256"))
        part.replace(cached)
    except (ValueError, TypeError, OSError, ImportError):
        part.unlink(missing_ok=True)
        digest.unlink(missing_ok=True)


@cache
def _read_verified(path: Path, digest: str, name: str, dtype_str: bool) -> pd.DataFrame:
    """Parse and check one pinned file; memoised on its path and sha256, so another manifest or data folder never hits."""
    res = resource(name)
    frame = _parse(name, dtype_str)
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
    res = resource(name)
    note_input(name, res.sha256)
    run = context.active()
    if run is not None and not run.parsed_cache:
        return _read_verified.__wrapped__(res.local(), res.sha256, name, dtype_str)
    return _read_verified(res.local(), res.sha256, name, dtype_str).copy()


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
    note_input(f"reference/{filename}", sha256(path))
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def article() -> str:
    """The op-ed's text (pinned by sha256 like every other input)."""
    path = fetch_one("article")
    note_input("article", resource("article").sha256)
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- semiconductor trade (issue 5)

# Comtrade partner codes that are not ISO3: "Other Asia, nes" (M49 490) is Taiwan in Comtrade's
# practice; "Areas, nes" (_X) and "Oceania, nes" (O19) stay as reported.
COMTRADE_PARTNER_ALIASES = {"S19": "TWN"}

# WTO English names that no column of `country-codes` or `un-m49` spells the same way.
# EUU is the World Bank's code for the European Union (not an ISO3 country code).
WTO_NAME_ALIASES = {
    "European Union": "EUU", "Chinese Taipei": "TWN", "Hong Kong, China": "HKG", "Macao, China": "MAC",
    "Macau": "MAC", "Brunei": "BRN", "Laos": "LAO", "Lao People's Democratic Republic": "LAO",
    "Swaziland": "SWZ", "Turkey": "TUR", "Türkiye": "TUR", "United Kingdom": "GBR", "United States": "USA",
}


def comtrade_hs8542() -> pd.DataFrame:
    """UN Comtrade HS 8542 bilateral rows of six ASEAN reporters (2017, 2022) -> tidy frame.

    Columns: reporter_iso3, partner_iso3 (S19 "Other Asia, nes" -> TWN; _X, O19 kept), partner_code,
    flow (M = reporter's imports, X = reporter's exports), year, hs_code ("8542"), hs_revision
    (H4/H5/H6 as reported), value_usd (current US$).
    """
    name = "comtrade-hs8542-asean6"
    raw = read(name, dtype_str=True)
    return pd.DataFrame({
        "reporter_iso3": raw["reporter_iso3"], "partner_iso3": raw["partner_iso3"].replace(COMTRADE_PARTNER_ALIASES),
        "partner_code": raw["partner_code"], "flow": raw["flow"],
        "year": _numeric(raw, "year", name).astype("int64"), "hs_code": raw["cmd_code"],
        "hs_revision": raw["classification"], "value_usd": _numeric(raw, "trade_value_usd", name),
    })


def comtrade_hs8542_world() -> pd.DataFrame:
    """UN Comtrade HS 8542 World-partner totals of 12 reporters (2017, 2022) -> tidy frame.

    Columns: reporter_iso3, partner_iso3 ("WLD"), flow, year, hs_code, hs_revision, value_usd.
    """
    name = "comtrade-hs8542-world-totals"
    raw = read(name, dtype_str=True)
    return pd.DataFrame({
        "reporter_iso3": raw["reporter_iso3"], "partner_iso3": "WLD", "flow": raw["flow"],
        "year": _numeric(raw, "year", name).astype("int64"), "hs_code": raw["cmd_code"],
        "hs_revision": raw["classification"], "value_usd": _numeric(raw, "world_trade_value_usd", name),
    })


def iso3_of_names(names) -> pd.DataFrame:
    """English economy names -> name, iso3, matched_by (alias | country-codes | un-m49 | unmatched).

    Order: the explicit alias table WTO_NAME_ALIASES, then exact matches on the CLDR, official and
    UNTERM short names of `country-codes`, then `un-m49` names. Unmatched names get iso3 = "".
    """
    codes = read("country-codes", dtype_str=True).fillna("")
    lookup: dict[str, tuple[str, str]] = {}
    for column in ("CLDR display name", "official_name_en", "UNTERM English Short"):
        for text, iso3 in zip(codes[column], codes["ISO3166-1-Alpha-3"]):
            if text and iso3:
                lookup.setdefault(text, (iso3, "country-codes"))
    un = m49()
    for text, iso3 in zip(un["name"], un["iso3"]):
        if text and iso3:
            lookup.setdefault(text, (iso3, "un-m49"))
    rows = []
    for text in sorted(set(names)):
        if text in WTO_NAME_ALIASES:
            rows.append((text, WTO_NAME_ALIASES[text], "alias"))
        else:
            rows.append((text, *lookup.get(text, ("", "unmatched"))))
    return pd.DataFrame(rows, columns=["name", "iso3", "matched_by"])


def wto_semiconductor_imports() -> pd.DataFrame:
    """WTO bilateral imports of HS 8541+8542 (about 100 importers, 2017-2022) -> tidy frame.

    Columns: reporter_iso3 (importer), partner_iso3 (exporter), reporter_name, partner_name, flow ("M"),
    year, hs_code ("8541+8542"), value_usd (US$, not thousands). Names map to ISO3 by
    :func:`iso3_of_names`; a name that does not map raises a DataError listing every such name.
    """
    name = "wto-semiconductor-imports"
    raw = read(name, dtype_str=True)
    mapping = iso3_of_names(pd.concat([raw["Reporting Economy"], raw["Partner Economy"]]))
    unmatched = mapping.loc[mapping["matched_by"] == "unmatched", "name"].tolist()
    if unmatched:
        raise DataError(f"dataset {name!r}: economy names without an ISO3 code: {', '.join(unmatched)}; "
                        "add them to load.WTO_NAME_ALIASES")
    iso3 = dict(zip(mapping["name"], mapping["iso3"]))
    return pd.DataFrame({
        "reporter_iso3": raw["Reporting Economy"].map(iso3), "partner_iso3": raw["Partner Economy"].map(iso3),
        "reporter_name": raw["Reporting Economy"], "partner_name": raw["Partner Economy"], "flow": "M",
        "year": _numeric(raw, "Year", name).astype("int64"), "hs_code": "8541+8542",
        "value_usd": _numeric(raw, "Value", name),
    })
