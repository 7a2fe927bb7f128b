"""Records of the claims judged by plant location: Figure 1 (FIG-1) and SEMI-5a/5b."""

import pandas as pd

from .. import claims
from ..analysis.location import diversity
from ..analysis.specialization import STAGES


def record_diversity(claim_id: str, tests: dict, table: pd.DataFrame, *, datasets: list[str]) -> dict:
    """Record Figure 1's claim with the grid's categories and the stages and members with operating plants."""
    found = diversity(table)
    members = sorted(found["stages_by_member"])
    return claims.record(
        claim_id, tests, evidence="derived_data", datasets=datasets,
        detail={**found, "cells": {f"{r.iso3} {r.stage}": r.category for r in table.itertuples()}},
        explanation=(f"By plant location, operating plants are recorded in {len(found['stages'])} of {len(STAGES)} stages "
                     f"({', '.join(found['stages'])}) in {len(members)} members ({', '.join(members)}); planned plants "
                     "are not counted. No source in the data records distribution by location; the facility evidence "
                     "is not a census, and Brunei, Cambodia, Laos and Myanmar were not searched in depth."))


def record_integration(claim_id: str, table: pd.DataFrame, *, datasets: list[str]) -> dict:
    """Record "lacking vertical integration" as a judgement, with what the location grid can and cannot say."""
    found = diversity(table)
    full = sorted(m for m, stages in found["stages_by_member"].items() if len(stages) == len(found["stages"]))
    return claims.record_not_verifiable(
        claim_id, "qualitative", evidence="derived_data", datasets=datasets, detail=found,
        explanation=(f"Integration is how firms link across stages, which plant locations do not show. The grid records "
                     f"operating plants in {len(found['stages'])} of {len(STAGES)} stages; members with plants in every "
                     f"one of those stages: {', '.join(full) or 'none'}. Whether these plants form one chain from "
                     "materials to advanced design is not in the data."))


def record_influence(claim_id: str, tests: dict, bounds: dict, hq_pct: dict[str, float], *, datasets: list[str]) -> dict:
    """Record one stage of SEMI-5 with the bounds, the rows used and the headquarters-based shares."""
    stage = bounds["stage"]
    shares = "; ".join(f"{m} {v:g}%" for m, v in bounds["members"].items()) or "no member share"
    text = (f"By plant location, {stage}: members' measured shares {shares}"
            + (f"; region's estimate {bounds['region_pct']:g}%" if bounds["region_pct"] is not None else "")
            + (f"; at most {bounds['upper_pct']:g}% for all economies outside {bounds['top_group']}, which hold "
               f"{bounds['top_group_pct']:g}%" if bounds["upper_pct"] is not None else "")
            + (f"; the leading location {bounds['top_group']} holds {bounds['top_group_pct']:g}%"
               if bounds["upper_pct"] is None and bounds["top_group_pct"] is not None else "")
            + ". By firm headquarters (CSET/ETO, a different basis): "
            + ", ".join(f"{k} {v:g}%" for k, v in hq_pct.items())
            + ". A location-based share of design, the stage the article contrasts, is not in the data.")
    detail = {"bounds": bounds, "hq_shares_pct": hq_pct,
              "not_evaluable": {"share above ASEAN's design share, both by location": "no location-based design share in the data"}}
    if bounds["upper_pct"] is not None:
        detail["by_construction"] = {
            f"ASEAN's share lies within the {bounds['upper_pct']:g}% outside {bounds['top_group']}":
                "no member is among those economies, so the members' shares sum to at most the remainder"}
    return claims.record(claim_id, tests, evidence="derived_data", datasets=datasets, explanation=text, detail=detail)


# ---------------------------------------------------------------- readings (sentences computed from the results)

def influence_reading(bounds: dict, operating: list[str]) -> str:
    """One sentence per stage: where operating plants stand, the measured shares and the leaders' benchmark."""
    stage = bounds["stage"]
    shares = ", ".join(f"{m} {v:g}%" for m, v in bounds["members"].items()) or "none measured"
    text = f"{stage}: operating plants in {', '.join(operating) or 'no member'}; members' measured shares of world activity: {shares}"
    if bounds["region_pct"] is not None:
        text += f"; the region's estimate {bounds['region_pct']:g}%"
    if bounds["upper_pct"] is not None:
        text += f"; all economies outside {bounds['top_group']} hold at most {bounds['upper_pct']:g}%"
    if bounds["top_group_pct"] is not None:
        text += f"; {bounds['top_group']} hold {bounds['top_group_pct']:g}%"
    return text + "."


def grid_reading(table: pd.DataFrame) -> str:
    """What the Figure 1 grid shows: stages with operating plants, members per stage, planned-only cells, empty rows."""
    found = diversity(table)
    by_stage = "; ".join(f"{s}: {', '.join(m)}" for s, m in found["members_by_stage"].items() if m)
    missing = [s for s in STAGES if not found["members_by_stage"][s]]
    planned = table.loc[table["category"] == "planned only", ["iso3", "stage"]]
    planned_text = ", ".join(f"{r.iso3} {r.stage}" for r in planned.itertuples()) or "none"
    counts = table.groupby("iso3")["category"].agg(lambda c: (c == "no evidence found").all())
    empty = ", ".join(counts[counts].index) or "none"
    return (f"Operating plants are recorded in {len(found['stages'])} of {len(STAGES)} stages ({by_stage}); "
            f"no operating evidence in {', '.join(missing) or 'no stage'}. Planned only: {planned_text}. "
            f"Members with no evidence found in any stage: {empty}.")
