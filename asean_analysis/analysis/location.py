"""Semiconductor activity by plant location: the evidence grid of Figure 1 and the fab/ATP shares.

Three pinned transcriptions (``semiconductors/location/SOURCES.md``), each row cited:
- ``location-facility-evidence``: named operating and planned plants per member and stage;
- ``chipsense-fab-sites``: a curated site list (stage only as the transcriber's hint);
- ``location-transcribed-numbers``: location-based shares of world capacity (OECD, SEMI, ISEAS...).

Rows keep their 1-based row number in their file (``ref`` = ``dataset#row``), so every cell of the
grid names the rows behind it. A row counts as **operating** only if its status says so (or names
existing plants without a status, or is a dated count of plants) and its confidence is above "low";
planned, announced or approved plants never count as operating. Absence of rows is "no evidence found": the facility file is not a
census and was not searched in depth for Brunei, Cambodia, Laos and Myanmar.
"""

from typing import Any

import numpy as np
import pandas as pd

from .. import load
from ..errors import DataError
from .specialization import STAGES

ATP = "assembly-test-packaging"
FAB = "front-end fabrication"
FACILITY_STAGE = {"front-end fab": FAB, "front-end fab (count)": FAB, "ATP": ATP, "ATP (count)": ATP,
                  "design": "design", "equipment": "equipment", "materials": "materials", "materials (raw)": "materials"}
PLANNED_WORDS = ("planned", "plan", "announced", "approved", "resource")
OPERATING_WORDS = ("operating", "new (", "2005/2006 snapshot", "2006 and c.2024 snapshots", "2022 database")
CONFIDENCE_RANK = {"low": 0, "low-medium": 1, "medium-low": 1, "medium": 2, "medium-high": 3, "high": 4}
# location-transcribed-numbers metrics that are a location share of one stage's world activity
SHARE_METRICS = {
    "share_of_global_chip_capacity": FAB, "share_of_wafer_fabrication_capacity": FAB,
    "share_of_global_ATP_market": ATP, "share_of_global_backend_semiconductors": ATP,
    "share_of_global_APT_output": ATP, "share_of_worldwide_ATP_operations": ATP,
    "share_of_global_testing_and_packaging_market": ATP, "share_of_global_SC_equipment_production": "equipment",
}
REGION_NAMES = {"ASEAN", "ASEAN (Southeast Asia)", "Southeast Asia"}
CATEGORIES = ("no evidence found", "weak evidence only", "planned only", "operating")
SEARCHED = {
    "default": "facility evidence compiled per member and stage (company releases, trade press, agencies); "
               "chip-sense site list; location shares (OECD, SEMI, ISEAS and others)",
    "not_in_depth": "BRN, KHM, LAO, MMR: no row found, not searched in depth (location/SOURCES.md)",
    "distribution": "no source in the data records distribution by location",
}
CELL_COLUMNS = ["iso3", "stage", "category", "n_operating", "n_planned", "n_other", "best_share_pct",
                "share_ref", "refs", "citations", "searched"]


def confidence_rank(text: str) -> int:
    """Rank of a transcriber's confidence ('high (2006)' -> 4, 'medium-low' -> 1, 'low' -> 0)."""
    head = str(text).strip().split(" ")[0].split("(")[0]
    if head not in CONFIDENCE_RANK:
        raise DataError(f"unknown confidence {text!r}; extend location.CONFIDENCE_RANK")
    return CONFIDENCE_RANK[head]


def status_class(status: str, evidence: str) -> str:
    """'operating', 'planned' or 'statement' (a qualitative remark such as 'limited', not a plant)."""
    text = "" if pd.isna(status) else str(status).strip().lower()
    if text.startswith(PLANNED_WORDS):
        return "planned"
    if text.startswith(OPERATING_WORDS):
        return "operating"
    if not text:
        return "statement" if str(evidence).strip() == "qualitative" else "operating"
    raise DataError(f"facility status {status!r} is not classified; extend location.PLANNED_WORDS or OPERATING_WORDS")


def _refs(dataset: str, index: pd.Index) -> list[str]:
    return [f"{dataset}#{i + 1}" for i in index]


def facility_rows(raw: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    """``location-facility-evidence`` rows of ``members`` -> iso3, stage, status_class, counts, item, citation, ref."""
    unknown = sorted(set(raw["stage"]) - set(FACILITY_STAGE))
    if unknown:
        raise DataError(f"facility stages without a Figure 1 stage: {unknown}; extend location.FACILITY_STAGE")
    cls = [status_class(s, e) for s, e in zip(raw["status"], raw["evidence"])]
    rank = raw["confidence"].map(confidence_rank)
    out = pd.DataFrame({
        "iso3": raw["member_iso3"], "stage": raw["stage"].map(FACILITY_STAGE), "status_class": cls,
        "counts": (np.array(cls) == "operating") & (rank > 0).to_numpy(), "item": raw["actor_or_facility"],
        "citation": raw["publisher"] + ", " + raw["source_title"] + " (" + raw["date"].astype(str) + "), " + raw["url"],
        "ref": _refs("location-facility-evidence", raw.index)})
    return out[out["iso3"].isin(members)].reset_index(drop=True)


def site_rows(raw: pd.DataFrame, names: dict[str, str], members: list[str]) -> pd.DataFrame:
    """``chipsense-fab-sites`` ASEAN rows with a stage hint -> the columns of :func:`facility_rows`.

    The list has no status field: its sites are read as operating (sites of the companies' filings);
    a site whose stage the transcriber could not tell is left out.
    """
    rows = raw[raw["asean_member"] == "yes"]
    hint = rows["stage_hint_added_by_transcriber"].str.lower()
    stage = np.select([hint.str.startswith("front-end"), hint.str.startswith("atp")], [FAB, ATP], default="")
    out = pd.DataFrame({
        "iso3": rows["country"].map(names), "stage": stage, "status_class": "operating", "counts": True,
        "item": rows["label"], "citation": "chip-sense fab-sites.json (aminalav/chip-sense, MIT), sources "
        + rows["source_ids"], "ref": _refs("chipsense-fab-sites", rows.index)})
    return out[(out["stage"] != "") & out["iso3"].isin(members)].reset_index(drop=True)


def _value(text) -> float:
    return pd.to_numeric(str(text).lstrip("~>").strip(), errors="coerce")


def share_rows(numbers: pd.DataFrame) -> pd.DataFrame:
    """Location shares of a stage's world activity -> geography, stage, value_pct, confidence_rank, year,
    citation, ref (members as ISO3, Southeast Asia as 'ASEAN')."""
    rows = numbers[numbers["metric"].isin(SHARE_METRICS)]
    value = rows["value"].map(_value)
    if value.isna().any():
        raise DataError(f"unreadable share values {sorted(rows.loc[value.isna(), 'value'])} in location-transcribed-numbers")
    geography = rows["geography"].where(~rows["geography"].isin(REGION_NAMES), "ASEAN")
    return pd.DataFrame({
        "geography": geography, "stage": rows["metric"].map(SHARE_METRICS), "metric": rows["metric"], "value_pct": value,
        "confidence_rank": rows["confidence"].map(confidence_rank), "year": rows["year"],
        "citation": rows["publisher"] + ", " + rows["source_title"] + ", " + rows["url"],
        "ref": _refs("location-transcribed-numbers", rows.index)}).reset_index(drop=True)


def best_share(shares: pd.DataFrame, geography: str, stage: str) -> pd.Series | None:
    """The most trusted share of one geography and stage (highest confidence, then highest value)."""
    rows = shares[(shares["geography"] == geography) & (shares["stage"] == stage) & (shares["confidence_rank"] > 0)]
    if rows.empty:
        return None
    return rows.sort_values(["confidence_rank", "value_pct"], ascending=False).iloc[0]


def grid(facilities: pd.DataFrame, shares: pd.DataFrame, members: list[str],
         not_in_depth: tuple[str, ...] = ("BRN", "KHM", "LAO", "MMR")) -> pd.DataFrame:
    """Members x stages: category, counts of operating / planned / other rows, best share, refs and citations."""
    out = []
    for code in members:
        for stage in STAGES:
            rows = facilities[(facilities["iso3"] == code) & (facilities["stage"] == stage)]
            operating = int(rows["counts"].sum())
            planned = int((rows["status_class"] == "planned").sum())
            share = best_share(shares, code, stage)
            if operating:
                category = "operating"
            elif planned:
                category = "planned only"
            elif len(rows):
                category = "weak evidence only"
            else:
                category = "no evidence found"
            searched = SEARCHED["distribution"] if stage == "distribution" else SEARCHED["default"]
            if code in not_in_depth:
                searched += "; " + SEARCHED["not_in_depth"]
            refs = list(rows["ref"]) + ([share["ref"]] if share is not None else [])
            citations = list(dict.fromkeys(list(rows["citation"]) + ([share["citation"]] if share is not None else [])))
            out.append({"iso3": code, "stage": stage, "category": category, "n_operating": operating, "n_planned": planned,
                        "n_other": len(rows) - operating - planned,
                        "best_share_pct": share["value_pct"] if share is not None else np.nan,
                        "share_ref": share["ref"] if share is not None else "", "refs": "; ".join(refs),
                        "citations": " | ".join(citations), "searched": searched})
    return pd.DataFrame(out, columns=CELL_COLUMNS)


def diversity(table: pd.DataFrame) -> dict:
    """Stages with operating evidence, the members showing it in each, and each member's stages."""
    shown = table[table["category"] == "operating"]
    return {"stages": [s for s in STAGES if s in set(shown["stage"])],
            "members_by_stage": {s: sorted(shown.loc[shown["stage"] == s, "iso3"]) for s in STAGES},
            "stages_by_member": {m: [s for s in STAGES if s in set(g["stage"])] for m, g in shown.groupby("iso3")}}


def diversity_tests(table: pd.DataFrame, min_stages: int) -> dict[str, bool]:
    """Figure 1's message on the location grid: operating evidence in most stages, spread over members."""
    found = diversity(table)
    stages, by_member = found["stages"], found["stages_by_member"]
    profiles = {tuple(v) for v in by_member.values()}
    alone = [m for m, v in by_member.items() if len(v) == len(stages)]
    return {
        f"operating plants in at least {min_stages} of the {len(STAGES)} stages ({len(stages)}: {', '.join(stages)})":
            len(stages) >= min_stages,
        f"members with operating plants differ in their stages ({len(profiles)} distinct sets among {len(by_member)} members)":
            len(profiles) >= 2,
        "no single member has operating plants in every such stage" + (f" ({', '.join(alone)} {'has' if len(alone) == 1 else 'have'} them all)" if alone else ""):
            not alone,
    }


# ---------------------------------------------------------------- SEMI-5: fabrication and ATP by location

def stage_bounds(shares: pd.DataFrame, numbers: pd.DataFrame, members: list[str], stage: str) -> dict:
    """ASEAN's location share of ``stage``: lower bound (sum of members' best shares), the region's own
    estimate where one exists, and for fabrication the upper bound left by OECD's five largest economies."""
    found = {m: best_share(shares, m, stage) for m in members}
    parts = {m: s for m, s in found.items() if s is not None}
    region = best_share(shares, "ASEAN", stage)
    out: dict[str, Any] = {"stage": stage, "members": {m: float(s["value_pct"]) for m, s in parts.items()},
           "lower_pct": float(sum(s["value_pct"] for s in parts.values())),
           "region_pct": float(region["value_pct"]) if region is not None else None,
           "upper_pct": None, "top_group_pct": None, "top_group": None,
           "refs": [s["ref"] for s in parts.values()] + ([region["ref"]] if region is not None else [])}
    if stage == FAB:
        top = _number(numbers, "share_of_global_inproduction_wafer_capacity")
        rest = _number(numbers, "share_of_global_inproduction_wafer_capacity_rest_of_world")
        out.update(upper_pct=rest[0], top_group_pct=top[0], top_group=top[1], refs=out["refs"] + [top[2], rest[2]])
    elif stage == ATP:
        leader = _number(numbers, "share_of_global_assembly_and_test_market")
        out.update(top_group_pct=leader[0], top_group=leader[1], refs=out["refs"] + [leader[2]])
    return out


def _number(numbers: pd.DataFrame, metric: str) -> tuple[float, str, str]:
    rows = numbers[numbers["metric"] == metric]
    if len(rows) != 1:
        raise DataError(f"location-transcribed-numbers: expected one row of {metric!r}, found {len(rows)}; restore the pinned file")
    return float(_value(rows["value"].iloc[0])), str(rows["geography"].iloc[0]), _refs("location-transcribed-numbers", rows.index)[0]


def gdp_share_pct(gdp: pd.DataFrame, members: list[str], year: int) -> float:
    """The members' share (%) of world GDP in ``year`` (``load.gdp`` frame, world row WLD)."""
    rows = gdp[gdp["year"] == year]
    world = rows.loc[rows["iso3"] == "WLD", "gdp_usd"]
    missing = sorted(set(members) - set(rows["iso3"]))
    if world.empty or missing:
        raise DataError(f"no {year} GDP for {', '.join(missing) or 'the world (WLD)'}; pick a year the GDP source covers")
    return float(100 * rows.loc[rows["iso3"].isin(members), "gdp_usd"].sum() / world.iloc[0])


def influence_tests(bounds: dict, operating_members: list[str], gdp_pct: float) -> dict[str, bool | None]:
    """Readings of "relatively strong influence" in one stage, each True / False / None (not evaluable).

    - presence: operating plants of the stage stand in ASEAN;
    - weight: ASEAN's location share exceeds its share of world GDP (the members' measured shares, a
      lower bound; else the region's own estimate);
    - leaders: ASEAN's share reaches the average share of the economies the source names as leading the
      stage (fabrication: OECD's five largest; ATP: the largest location), judged on the region's own
      estimate if there is one, else on the bounds (lower bound at or above: True; upper bound below: False).
    """
    stage, low, region, high = bounds["stage"], bounds["lower_pct"], bounds["region_pct"], bounds["upper_pct"]
    weight = low if low > 0 else region
    what = f"members' measured shares sum to {low:g}%" if low > 0 else f"region's estimate {region}%"
    tests: dict[str, bool | None] = {
        f"operating {stage} plants stand in ASEAN ({', '.join(operating_members) or 'none'})": bool(operating_members),
        f"ASEAN's {stage} share ({what}) exceeds its share of world GDP ({gdp_pct:.2g}%)":
            None if weight is None else weight > gdp_pct,
    }
    if bounds["top_group_pct"] is None:
        return tests
    top = str(bounds["top_group"]).split(" (")[0]
    average = bounds["top_group_pct"] / len(top.split("+"))
    if region is not None:
        verdict, span = region >= average, f"region's estimate {region:g}%"
    else:
        verdict = True if low >= average else (False if high is not None and high < average else None)
        span = f"{low:g}%" + (f" to {high:g}%" if high is not None else " or more")
    leaders = "the average share of the leading economies" if "+" in top else "the share of the leading location"
    tests[f"ASEAN's {stage} share ({span}) reaches {leaders} ({top}: {average:.3g}%)"] = verdict
    return tests


# ---------------------------------------------------------------- Figure 1

HQ_STAGE = {"Design": "design", "Fabrication": FAB, "ATP": ATP}  # CSET/ETO stages -> Figure 1 stages


def figure_table(table: pd.DataFrame, hq: pd.DataFrame, trade: pd.Series) -> pd.DataFrame:
    """The table behind Figure 1: one row per grid cell with the share by firm headquarters of its stage (ETO) and
    the member's share of world chip exports (``trade``: iso3 -> percent)."""
    hq_long = (hq.rename(columns=HQ_STAGE).rename_axis(index="iso3", columns=None).reset_index()
               .melt(id_vars="iso3", var_name="stage", value_name="hq_share_pct"))
    return (table.merge(hq_long, on=["iso3", "stage"], how="left")
            .merge(trade.rename("trade_share_pct").rename_axis("iso3").reset_index(), on="iso3", how="left"))


def read_all(members: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three location files as (facility and site rows, share rows, raw numbers) for ``members``."""
    countries = load.read("asean-country-codes")
    names = dict(zip(countries["country"], countries["iso3"]))
    numbers = load.read("location-transcribed-numbers", dtype_str=True)
    facilities = pd.concat([facility_rows(load.read("location-facility-evidence", dtype_str=True), members),
                            site_rows(load.read("chipsense-fab-sites", dtype_str=True), names, members)],
                           ignore_index=True)
    return facilities, share_rows(numbers), numbers
