"""CEPII BACI (HS17, release V202501): the opt-in full-scale trade path.

BACI reconciles exporter and importer declarations for about 200 economies, HS6, one CSV per year
(``BACI_HS17_Y{year}_V202501.csv``, columns t, i, j, k, v, q; v in thousands of US$; i/j numeric
country codes resolved by ``country_codes_V202501.csv`` in the same archive). A year file has about
10 million rows: :func:`stage_flows` filters it to a stage's HS6 codes inside duckdb, so only the
few thousand matching rows reach pandas.

Nothing here runs in tests or CI against the real files. :func:`fetch` downloads the archive
(several GB) only when called. CEPII publishes no checksum and none could be computed here, so the
caller must pass the archive's sha256; ``trust_on_first_use=True`` downloads without one and prints
the sha256 that was received, to be pinned for every later run.

Source: Gaulier, G. and Zignago, S. (2010), "BACI: International Trade Database at the Product-Level.
The 1994-2007 Version", CEPII Working Paper 2010-23; https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37
(licence Etalab 2.0).
"""

from pathlib import Path

import pandas as pd

from . import context
from .errors import DataError, ParameterError
from .fetch import sha256 as file_sha256

RELEASE = "V202501"
URL = f"https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS17_{RELEASE}.zip"
COLUMNS = ("t", "i", "j", "k", "v", "q")
COUNTRY_FILE = f"country_codes_{RELEASE}.csv"


def year_file(folder: Path | str, year: int) -> Path:
    """The BACI CSV of ``year`` in ``folder``, or an error saying how to get it."""
    path = Path(folder) / f"BACI_HS17_Y{year}_{RELEASE}.csv"
    if not path.is_file():
        raise DataError(f"BACI file {path} is missing; unpack {URL} into {folder} (see asean_analysis.baci.fetch)")
    context.note_file(path)
    return path


def _check_header(path: Path) -> None:
    with path.open(encoding="utf-8") as handle:
        header = tuple(c.strip() for c in handle.readline().split(","))
    if header != COLUMNS:
        raise DataError(f"BACI file {path} has columns {header}, expected {COLUMNS}; is it a BACI {RELEASE} year file?")


def country_codes(folder: Path | str) -> pd.DataFrame:
    """BACI numeric code -> ISO3 (``country_codes_V202501.csv`` of the archive)."""
    path = Path(folder) / COUNTRY_FILE
    if not path.is_file():
        raise DataError(f"{path} is missing; it ships in the BACI archive {URL}")
    context.note_file(path)
    codes = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not {"country_code", "country_iso3"} <= set(codes.columns):
        raise DataError(f"{path} lacks columns country_code and country_iso3")
    return codes[["country_code", "country_iso3"]].rename(columns={"country_code": "code", "country_iso3": "iso3"})


def stage_codes(definitions: pd.DataFrame, stage: str) -> list[str]:
    """HS2017 six-digit codes of ``stage`` in ``hs-stage-definitions`` ('all' = every stage)."""
    rows = definitions[definitions["hs_revision"].str.contains("HS2017")]
    stages = sorted(rows["stage"].unique())
    if stage != "all" and stage not in stages:
        raise ParameterError(f"unknown stage {stage!r}; pick 'all' or one of {', '.join(stages)}")
    chosen = rows if stage == "all" else rows[rows["stage"] == stage]
    return sorted(chosen["hs6"].astype(str).str.zfill(6))


def stage_flows(folder: Path | str, years: list[int], codes: list[str], product: str) -> pd.DataFrame:
    """Bilateral flows of ``codes`` summed per year, exporter and importer (duckdb filter, no full load).

    Returns year, product, exporter, importer (ISO3), value_usd (BACI v x 1000).
    """
    if not codes:
        raise ParameterError("no HS6 codes given; pass stage_codes(...)")
    iso3 = country_codes(folder).set_index("code")["iso3"]
    frames = []
    import duckdb  # here, not at import: only a BACI run needs it

    with duckdb.connect() as con:
        for year in years:
            path = year_file(folder, year)
            _check_header(path)
            frames.append(con.execute(
                "SELECT t AS year, i, j, SUM(v) * 1000 AS value_usd FROM read_csv(?, header = true, "
                "columns = {'t': 'INTEGER', 'i': 'VARCHAR', 'j': 'VARCHAR', 'k': 'VARCHAR', 'v': 'DOUBLE', 'q': 'VARCHAR'}) "
                "WHERE lpad(trim(k), 6, '0') IN (SELECT unnest(?)) GROUP BY t, i, j",
                [str(path), codes]).df())
    flows = pd.concat(frames, ignore_index=True)
    unknown = sorted(set(flows["i"]).union(flows["j"]) - set(iso3.index))
    if unknown:
        raise DataError(f"BACI country codes without an ISO3 in {COUNTRY_FILE}: {', '.join(unknown)}")
    return pd.DataFrame({"year": flows["year"].astype("int64"), "product": product,
                         "exporter": flows["i"].map(iso3), "importer": flows["j"].map(iso3),
                         "value_usd": flows["value_usd"]}).sort_values(["year", "exporter", "importer"], ignore_index=True)


def fetch(folder: Path | str, sha256: str | None = None, *, trust_on_first_use: bool = False) -> Path:
    """Download and unpack the BACI HS17 archive into ``folder`` (opt-in; never called by tests or CI).

    Give the archive's ``sha256``; without it, only ``trust_on_first_use=True`` downloads, and the
    sha256 received is printed so that it can be pinned for later runs.
    """
    import pooch

    if sha256 is None and not trust_on_first_use:
        raise ParameterError("give the sha256 of the BACI archive (CEPII publishes none), or pass "
                             "trust_on_first_use=True to download once and pin the sha256 it prints")
    folder = Path(folder)
    archive = pooch.retrieve(URL, known_hash=f"sha256:{sha256}" if sha256 else None, path=folder,
                             fname=Path(URL).name, progressbar=False)
    if sha256 is None:
        print(f"trust on first use: {Path(archive).name} has sha256 {file_sha256(Path(archive))}; pin it for later runs")
    pooch.Unzip(extract_dir=str(folder.resolve()))(archive, "download", None)
    return folder


def stage_exports(folder: Path | str, year: int, definitions: pd.DataFrame) -> pd.DataFrame:
    """Exports of each economy in ``year`` by stage of ``hs-stage-definitions`` and in all products.

    Returns exporter (ISO3), stage, value_usd (the stage's HS2017 codes), total_usd (all products);
    the world totals are the sums over exporters. Computed inside duckdb.
    """
    rows = definitions[definitions["hs_revision"].str.contains("HS2017")]
    codes = pd.DataFrame({"k": rows["hs6"].astype(str).str.zfill(6), "stage": rows["stage"]})
    iso3 = country_codes(folder).set_index("code")["iso3"]
    path = year_file(folder, year)
    _check_header(path)
    import duckdb  # here, not at import: only a BACI run needs it

    with duckdb.connect() as con:
        con.register("codes", codes)
        flows = ("WITH flows AS (SELECT i, lpad(trim(k), 6, '0') AS k, v FROM read_csv(?, header = true, "
                 "columns = {'t': 'INTEGER', 'i': 'VARCHAR', 'j': 'VARCHAR', 'k': 'VARCHAR', 'v': 'DOUBLE', 'q': 'VARCHAR'})) ")
        totals = con.execute(flows + "SELECT i, SUM(v) * 1000 AS total_usd FROM flows GROUP BY i", [str(path)]).df()
        stages = con.execute(flows + "SELECT i, stage, SUM(v) * 1000 AS value_usd FROM flows JOIN codes USING (k) "
                             "GROUP BY i, stage", [str(path)]).df()
    out = stages.merge(totals, on="i", how="left")
    unknown = sorted(set(out["i"]) - set(iso3.index))
    if unknown:
        raise DataError(f"BACI country codes without an ISO3 in {COUNTRY_FILE}: {', '.join(unknown)}")
    return pd.DataFrame({"exporter": out["i"].map(iso3), "stage": out["stage"], "value_usd": out["value_usd"],
                         "total_usd": out["total_usd"]}).sort_values(["exporter", "stage"], ignore_index=True)
