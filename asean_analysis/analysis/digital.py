"""Digital economy, DEFA and the op-ed's dated facts: transcribed report figures, article parsing, checks.

The numbers live in ``data/reference/digital_figures.csv`` (one row per number, with its edition and
citation) and the published DEFA core elements in ``data/reference/defa_core_elements.csv``. The
functions here read them, do the arithmetic the claims call for, and parse the article's list of areas.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from .. import load
from ..errors import DataError
from .growth import cagr_pct

FIGURES = "digital_figures.csv"
ELEMENTS = "defa_core_elements.csv"
CITATION = ("source_title", "publisher", "url", "location_in_source")
COLUMNS = ("id", "claim", "edition", "metric", "geography", "year", "value", "unit", *CITATION, "mirror_row",
           "confidence", "note")
_STOP = {"and", "on", "the", "of", "for"}


def _cited(table: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = [c for c in ("id", *CITATION) if c not in table.columns]
    if missing:
        raise DataError(f"reference table {name} lacks columns {', '.join(missing)}; restore it from git")
    blank = table[(table[list(CITATION)].apply(lambda s: s.str.strip()) == "").any(axis=1)]
    if len(blank):
        raise DataError(f"reference table {name}: rows {', '.join(blank['id'])} lack a citation "
                        f"({', '.join(CITATION)} must all be filled); add the source or drop the row")
    if not table["id"].is_unique:
        raise DataError(f"reference table {name}: duplicate ids {', '.join(table.loc[table['id'].duplicated(), 'id'])}")
    return table


def figures() -> pd.DataFrame:
    """The transcribed figures, checked (every row cited, ids unique), with ``number`` = value as float (NaN for dates and text)."""
    table = load.reference(FIGURES)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise DataError(f"reference table {FIGURES} lacks columns {', '.join(missing)}; restore it from git")
    table = _cited(table, FIGURES)
    if (table["edition"].str.strip() == "").any():
        raise DataError(f"reference table {FIGURES}: rows {', '.join(table.loc[table['edition'] == '', 'id'])} lack an edition")
    numeric = ~table["unit"].isin(["date", "statement"])
    table["number"] = pd.to_numeric(table["value"].where(numeric), errors="coerce")
    bad = table[numeric & table["number"].isna()]
    if len(bad):
        raise DataError(f"reference table {FIGURES}: non-numeric value in rows {', '.join(bad['id'])}; fix the value or its unit")
    return table


def elements() -> pd.DataFrame:
    """DEFA's published core elements, one row each, with citation."""
    return _cited(load.reference(ELEMENTS), ELEMENTS)


def row(table: pd.DataFrame, row_id: str) -> pd.Series:
    """One transcribed row by id."""
    hit = table[table["id"] == row_id]
    if hit.empty:
        raise DataError(f"no row {row_id!r} in {FIGURES}; known ids: {', '.join(table['id'])}")
    return hit.iloc[0]


def value(table: pd.DataFrame, row_id: str) -> float:
    """The number of a transcribed row."""
    r = row(table, row_id)
    if pd.isna(r["number"]):
        raise DataError(f"row {row_id!r} of {FIGURES} holds {r['unit']!r}, not a number")
    return float(r["number"])


def date_of(table: pd.DataFrame, row_id: str) -> str:
    """The ISO date of a transcribed row whose unit is 'date'."""
    r = row(table, row_id)
    if r["unit"] != "date":
        raise DataError(f"row {row_id!r} of {FIGURES} has unit {r['unit']!r}, not 'date'")
    try:
        return dt.date.fromisoformat(r["value"]).isoformat()
    except ValueError as exc:
        raise DataError(f"row {row_id!r} of {FIGURES}: {r['value']!r} is not an ISO date") from exc


def citation(r: pd.Series) -> str:
    """A one-line citation of a transcribed row."""
    return f"{r['publisher']}, '{r['source_title']}', {r['location_in_source']} <{r['url']}>"


# ------------------------------------------------------------------ growth arithmetic

def growth_pct(previous: float, current: float) -> float:
    """Year-on-year growth in percent."""
    if previous <= 0:
        raise ValueError(f"growth needs a positive base, got {previous}")
    return 100 * (current / previous - 1)


def implied_previous(current: float, growth: float) -> float:
    """The previous year's value implied by a level and its stated growth (percent)."""
    return current / (1 + growth / 100)


def implied_previous_range(current: float, growth: float, value_step: float = 1, growth_step: float = 1) -> tuple[float, float]:
    """Range of the implied previous value when the level and the growth are rounded to the given steps."""
    lo_v, hi_v = current - value_step / 2, current + value_step / 2
    lo_g, hi_g = growth - growth_step / 2, growth + growth_step / 2
    return implied_previous(lo_v, hi_g), implied_previous(hi_v, lo_g)


def implied_2023(table: pd.DataFrame) -> pd.DataFrame:
    """Headline 2024 levels of the 2024 edition, their stated growth and the implied 2023 values (with rounding range)."""
    rows = []
    for name, level, growth in (("GMV", "ECS24-GMV", "ECS24-GMV-GROWTH"), ("revenue", "ECS24-REV", "ECS24-REV-GROWTH"),
                                ("profit", "ECS24-PROFIT", "ECS24-PROFIT-GROWTH")):
        v, g = value(table, level), value(table, growth)
        lo, hi = implied_previous_range(v, g)
        rows.append({"metric": name, "value_2024_usd_bn": v, "stated_growth_pct": g,
                     "implied_2023_usd_bn": implied_previous(v, g), "implied_2023_low": lo, "implied_2023_high": hi})
    return pd.DataFrame(rows)


def within_edition_checks(table: pd.DataFrame) -> pd.DataFrame:
    """Growth an edition states vs the growth its own rounded levels imply (both from the same edition)."""
    checks = [("e-Conomy SEA 2024", "Philippines GMV 2023->2024", "ECS24-PHL-GMV-2023", "ECS24-PHL-GMV", "ECS24-PHL-GMV-GROWTH"),
              ("e-Conomy SEA 2018", "SEA-6 GMV 2015->2018, per year", "ECS18-GMV-2015", "ECS18-GMV-2018", "ECS18-GMV-CAGR-2015-2018")]
    rows = []
    for edition, what, prev, cur, stated in checks:
        p, c, s = value(table, prev), value(table, cur), value(table, stated)
        years = int(row(table, cur)["year"]) - int(row(table, prev)["year"])
        lo, hi = cagr_pct(p + 0.5, c - 0.5, years), cagr_pct(p - 0.5, c + 0.5, years)
        rows.append({"edition": edition, "check": what, "from": p, "to": c, "computed_growth_pct": cagr_pct(p, c, years),
                     "range_low": lo, "range_high": hi, "stated_growth_pct": s, "consistent": bool(lo - 0.5 <= s <= hi + 0.5)})
    return pd.DataFrame(rows)


def gmv_by_edition(table: pd.DataFrame) -> pd.DataFrame:
    """SEA-6 GMV by year as each e-Conomy edition reported it (kind: reported | projection), plus the 2024 edition's implied 2023."""
    gmv = table[(table["geography"] == "SEA-6") & table["edition"].str.startswith("e-Conomy")
                & table["metric"].str.contains("GMV|gross merchandise value", regex=True)
                & ~table["metric"].str.contains("growth|share|e-commerce|video|upper", regex=True)]
    out = pd.DataFrame({"edition": gmv["edition"], "year": gmv["year"].astype(int), "gmv_usd_bn": gmv["number"],
                        "kind": gmv["metric"].str.contains("projection").map({True: "projection", False: "reported"}),
                        "row_id": gmv["id"]})
    implied = {"edition": "e-Conomy SEA 2024", "year": 2023, "kind": "implied by stated growth", "row_id": "ECS24-GMV/ECS24-GMV-GROWTH",
               "gmv_usd_bn": implied_previous(value(table, "ECS24-GMV"), value(table, "ECS24-GMV-GROWTH"))}
    out = pd.concat([out, pd.DataFrame([implied])], ignore_index=True)
    out["edition_year"] = out["edition"].str.extract(r"(\d{4})", expand=False).astype(int)
    return out.sort_values(["edition_year", "year"], ignore_index=True)


@dataclass(frozen=True)
class Decade:
    """What the transcribed rows say about GMV growth over a decade (DIG-7)."""
    start_year: int
    end_year: int
    covering: tuple[str, ...]  # editions that give SEA-6 GMV for both years
    longest: dict  # the within-edition check with the highest growth (a row of :func:`within_edition_checks`)


def decade(table: pd.DataFrame, checks: pd.DataFrame, start_year: int, end_year: int) -> Decade:
    """Editions giving SEA-6 GMV at both ends of ``start_year..end_year``, and the fastest within-edition growth."""
    gmv = table[(table["geography"] == "SEA-6") & table["metric"].str.contains("GMV")
                & ~table["metric"].str.contains("projection|growth|share")]
    span = gmv.groupby("edition")["year"].agg(["min", "max"])
    covering = span[(span["min"].astype(int) <= start_year) & (span["max"].astype(int) >= end_year)]
    return Decade(start_year, end_year, tuple(covering.index),
                  checks.sort_values("computed_growth_pct").iloc[-1].to_dict())


def gdp_share(gmv_usd_bn: float, gdp: pd.DataFrame, year: int, codes: list[str], source: str) -> dict:
    """GMV as a percent of the summed nominal GDP of ``codes`` in ``year`` (an error names members without data)."""
    sel = gdp[(gdp["year"] == year) & gdp["iso3"].isin(codes)]
    lacking = sorted(set(codes) - set(sel["iso3"]))
    if lacking:
        raise DataError(f"GDP source {source!r} has no {year} value for {', '.join(lacking)}; pick a source that covers {year} "
                        "(e.g. imf-2024-10 or wdi-2025-12)")
    total = float(sel["gdp_usd"].sum())
    return {"year": year, "countries": len(codes), "gdp_usd_bn": total / 1e9, "gmv_usd_bn": gmv_usd_bn,
            "share_pct": 100 * gmv_usd_bn * 1e9 / total, "includes_estimates": bool(sel["is_estimate"].any())}


# ------------------------------------------------------------------ DEFA

def stated_area_count(text: str) -> int:
    """The number of DEFA key areas the article states ('where 9 key areas will be considered')."""
    found = re.search(r"(\d+)\s+key areas", text)
    if not found:
        raise DataError("the article has no 'N key areas' phrase; check that the pinned article is the op-ed of 27 Nov 2024")
    return int(found.group(1))


def article_areas(text: str) -> list[str]:
    """The DEFA key areas the article enumerates ('These key areas encompass a, b, ..., z.'), split at commas."""
    found = re.search(r"key areas encompass\s+(.+?)\.(?:\s|$)", text)
    if not found:
        raise DataError("the article has no 'key areas encompass ...' sentence; check that the pinned article is the op-ed")
    items = [re.sub(r"^and\s+", "", part.strip()) for part in found.group(1).split(",")]
    return [i for i in items if i]


def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", text.lower().replace("-", " ")) if t and t not in _STOP}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the content words of two area names."""
    ta, tb = _tokens(a), _tokens(b)
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


def match_areas(areas: list[str], published: list[str], threshold: float = 0.6) -> pd.DataFrame:
    """Each article area with its most similar published element; ``matched`` if similar enough and not taken before."""
    rows, taken = [], set()
    for area in areas:
        scores = sorted(((similarity(area, e), e) for e in published), reverse=True)
        score, best = scores[0]
        ok = score >= threshold and best not in taken
        taken |= {best} if ok else set()
        rows.append({"article_area": area, "published_element": best, "similarity": round(score, 2), "matched": ok})
    return pd.DataFrame(rows)


def defa_scenarios(table: pd.DataFrame) -> dict:
    """The DEFA study's baseline, business-as-usual and DEFA values, the ratios and implied annual growth."""
    base_r, bau_r, defa_r = (row(table, i) for i in ("DEFA-STUDY-2023", "DEFA-STUDY-BAU-2030", "DEFA-STUDY-DEFA-2030"))
    base, bau, defa = (float(r["number"]) for r in (base_r, bau_r, defa_r))
    y0, y1 = int(base_r["year"]), int(bau_r["year"])
    return {"base_year": y0, "target_year": y1, "base_usd_bn": base, "bau_usd_bn": bau, "defa_usd_bn": defa,
            "ratio_defa_to_bau": defa / bau, "ratio_defa_to_base": defa / base, "ratio_bau_to_base": bau / base,
            "cagr_bau_pct": cagr_pct(base, bau, y1 - y0), "cagr_defa_pct": cagr_pct(base, defa, y1 - y0),
            "extra_from_defa_usd_bn": defa - bau}


def scenario_paths(scen: dict) -> pd.DataFrame:
    """Constant-growth paths from the study's baseline to each 2030 scenario (``scen``: :func:`defa_scenarios`), by year."""
    years = list(range(scen["base_year"], scen["target_year"] + 1))
    return pd.DataFrame({"year": years, **{
        name: [scen["base_usd_bn"] * (1 + cagr / 100) ** (y - scen["base_year"]) for y in years]
        for name, cagr in (("business as usual", scen["cagr_bau_pct"]), ("with DEFA", scen["cagr_defa_pct"]))}})


def article_reading_cagr(start: float, end: float, from_year: int, to_year: int) -> float:
    """Annual growth implied by reading 'double from start to end by to_year' as starting in ``from_year``."""
    return cagr_pct(start, end, to_year - from_year)


# ------------------------------------------------------------------ dated facts and data protection

def dated_facts(table: pd.DataFrame) -> pd.DataFrame:
    """The transcribed dates with the claim they bear on and their source."""
    d = table[table["unit"] == "date"]
    return pd.DataFrame({"claim": d["claim"], "date": d["value"], "event": d["metric"], "source": d["publisher"],
                         "location": d["location_in_source"], "url": d["url"]}).sort_values("date", ignore_index=True)


def _first_date(text: str) -> str | None:
    found = re.search(r"\d{4}-\d{2}-\d{2}", text or "")
    return found.group(0) if found else None


def regimes(raw: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """The members' personal-data regimes (OECD 2026 grouping and the law in force), one row per member in ``codes``
    (``raw``: the ``data-protection-regimes`` dataset read as strings)."""
    raw = raw.fillna("")
    lacking = sorted(set(codes) - set(raw["iso3"]))
    if lacking:
        raise DataError(f"dataset 'data-protection-regimes' has no row for {', '.join(lacking)}; extend the table or change the member set")
    out = raw[raw["iso3"].isin(codes)]
    return pd.DataFrame({"iso3": out["iso3"], "country": out["country"], "law": out["main_personal_data_law"],
                         "in_force_from": out["law_in_force_date"].map(_first_date),
                         "oecd2026_group": out["oecd2026_group"], "transfers": out["cross_border_transfer_approach"],
                         "localisation": out["data_localisation_notes"]}).sort_values("iso3", ignore_index=True)


def has_localisation(notes: str) -> bool:
    """Whether a regime's localisation notes record a data-localisation requirement ('' or 'none ...' = no)."""
    text = (notes or "").strip().lower()
    return bool(text) and not text.startswith("none")


def dp_tests(table: pd.DataFrame, on: str) -> dict[str, bool]:
    """The op-ed's contrast as yes/no tests: the Philippines open, Viet Nam controlled with localisation, both in force on ``on``."""
    by = table.set_index("iso3")
    for code in ("PHL", "VNM"):
        if code not in by.index:
            raise DataError(f"the regimes table has no row for {code}; the member set must include it")
    phl, vnm = by.loc["PHL"], by.loc["VNM"]
    day = dt.date.fromisoformat(on)

    def in_force(r: pd.Series) -> bool:
        return isinstance(r["in_force_from"], str) and dt.date.fromisoformat(r["in_force_from"]) <= day

    return {
        "Philippines: OECD groups it with the open (DFFT-aligned) regimes": phl["oecd2026_group"] == "dfft_aligned",
        "Philippines: no general data-localisation requirement": not has_localisation(phl["localisation"]),
        "Viet Nam: OECD groups it with the restrictive (ad hoc) regimes": vnm["oecd2026_group"] == "restrictive_ad_hoc",
        "Viet Nam: data-localisation requirement recorded": has_localisation(vnm["localisation"]),
        f"both regimes in force on {on}": in_force(phl) and in_force(vnm),
    }


def ratification_test(act: pd.Series) -> dict[str, bool]:
    """Does the cited row describe the act as a ratification? (DATE-4; the test names the word the source uses)"""
    word = act["metric"].split(" ")[0]
    return {f"the cited source describes the act as a ratification (it says: {word})": "ratif" in act["metric"].lower()}


def regime_groups(regimes: pd.DataFrame) -> dict[str, list[str]]:
    """Members by OECD 2026 group (a :func:`regimes` table)."""
    return {group: sorted(codes) for group, codes in regimes.groupby("oecd2026_group")["iso3"]}


def earlier_pacts(agreements: pd.DataFrame, as_of: str, pact: str = "AGR-DEFA") -> pd.DataFrame:
    """The transcribed regional digital pacts other than ``pact`` adopted or signed by ``as_of``."""
    regional = agreements["regional"].astype(str).str.lower() == "true"
    return agreements[regional & (agreements["date"] <= as_of) & (agreements["id"] != pact)]  # ISO dates sort as text


def first_regional_tests(agreements: pd.DataFrame, as_of: str, pact: str = "AGR-DEFA") -> dict[str, bool]:
    """'The world's first regional digital pact' as a dated comparison: for each other transcribed agreement,
    is it either not regional or not adopted/signed by ``as_of``? (``agreements``: regional_digital_agreements.csv)"""
    day = dt.date.fromisoformat(as_of)
    others = agreements[agreements["id"] != pact]
    if others.empty:
        raise DataError("data/reference/regional_digital_agreements.csv lists no agreement to compare with; add cited rows")
    return {f"{r['agreement']} ({r['event']} {r['date']}) is not a regional pact adopted before {as_of}":
            not (str(r["regional"]).lower() == "true" and dt.date.fromisoformat(r["date"]) <= day)
            for _, r in others.iterrows()}
