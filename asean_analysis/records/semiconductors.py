"""Records of the semiconductor claims (SEMI-1 to SEMI-4, SEMI-6, SEMI-8 to SEMI-11) from :mod:`analysis.semiconductors` results."""

from typing import Any

import pandas as pd

from ..analysis.semiconductors import (
    ETO_DESIGN_ACTIVITIES,
    ExportViews,
    ahead_tests,
    dominance,
    equipment_leaders,
    group_share,
    leader,
    minimal_tests,
    to_claim_end,
    total_bn,
    us_leads,
)
from ..claims import record, record_not_verifiable


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts (3 decimals, missing values as None)."""
    rounded = frame.round(3).astype(object)
    return rounded.where(rounded.notna(), None).to_dict("records")


def _by_member_bn(exports: pd.DataFrame, year: int) -> dict[str, float]:
    rows = exports[exports["year"] == year]
    return {m: round(v / 1e9, 3) for m, v in zip(rows["member"], rows["value_usd"])}


def record_level(claim_id: str, views: ExportViews, levels: pd.DataFrame, *, year: int, asserted: float) -> dict:
    """Record the export level claim: computed if the data reach ``year``, else not_verifiable with what they show
    (and where the asserted level lies against the ``year`` estimates of each definition)."""
    datasets = ["comtrade-hs8542-world-totals", "wto-semiconductor-imports", "semiconductor-transcribed-figures",
                "hs-stage-definitions"]
    levels = levels.assign(gap_pct=100 * (levels["value_bn"] / asserted - 1))
    detail: dict[str, Any] = {"levels": _records(levels),
              "reporter_by_member_bn": _by_member_bn(views.reporter, views.window[1]),
              "mirror_by_member_bn": _by_member_bn(views.mirror_level.exports, views.window[1]),
              "mirror_absent_members": list(views.mirror.absent_members)}
    shown = "; ".join(f"{r.estimate} ({r.definition}, {r.year}{', ' + r.bound if r.bound else ''}): {r.value_bn:.1f} bn, "
                      f"{r.gap_pct:+.1f}% vs {asserted:g}" for r in levels.itertuples())
    where, text = None, ""
    pair = levels[levels["same_members"] & (levels["year"] == year)].set_index("definition")["value_bn"]
    if {views.reporter_definition, views.mirror_definition} <= set(pair.index):
        low, high = pair[views.reporter_definition], pair[views.mirror_definition]
        where = ("between" if low <= asserted <= high else "below both" if asserted < low
                 else "above both (the D2 estimate is a lower bound)")
        text = (f" For the same members in {year}, {asserted:g} bn lies {where}: ICs only "
                f"({views.reporter_definition}, {low:.1f} bn) and ICs plus other devices "
                f"({views.mirror_definition}, at least {high:.1f} bn).")
    detail["asserted_relative_to_definitions"] = where
    if year in set(views.reporter["year"]):
        value = total_bn(views.reporter, year)
        verdict = record(claim_id, value, evidence="raw_public_data", datasets=datasets, detail=detail,
                         explanation=f"Reporter view ({views.reporter_definition}) {year}: {value:.1f} bn. "
                                     f"All estimates: {shown}.{text}")
    else:
        verdict = record_not_verifiable(
            claim_id, "data_not_in_mirror", evidence="raw_public_data", datasets=datasets, detail=detail,
            explanation=f"The mirrored trade data stop at {views.window[1]}: no {year} value. The data show: {shown}.{text}")
    return {**verdict, "asserted_relative_to_definitions": where}


def record_growth(claim_id: str, views: ExportViews, growth: pd.DataFrame, *, base_year: int, year: int,
                  asserted: float, pairs: pd.DataFrame) -> dict:
    """Record the export growth claim: computed if the data cover [base_year, year], else not_verifiable
    with the growth of every base/end pair (``base_year_table``) and what the missing years would need."""
    datasets = ["comtrade-hs8542-world-totals", "wto-semiconductor-imports", "hs-stage-definitions"]
    asserted_per_year = 100 * ((1 + asserted / 100) ** (1 / (year - base_year)) - 1)
    to_end = to_claim_end(pairs, base_year, year, asserted)
    detail = {"growth": _records(growth), "asserted_per_year_pct": round(asserted_per_year, 3),
              "mirror_reporters": len(views.mirror.reporters),
              "mirror_excluded_reporters": sorted(set(views.mirror.excluded["reporter"])),
              "base_year_table": _records(pairs), "to_claim_end": _records(to_end)}
    shown = "; ".join(f"{r.estimate} {r.definition} {r.start}-{r.end}: {r.growth_pct:+.1f}% "
                      f"({r.per_year_pct:.1f}%/yr)" for r in growth.itertuples())
    if views.window == (base_year, year):
        value = float(growth.iloc[0]["growth_pct"])
        return record(claim_id, value, evidence="raw_public_data", datasets=datasets, detail=detail,
                      explanation=f"Growth {base_year}-{year}: {shown}.")
    text = (f"The data cover {views.window[0]}-{views.window[1]}, not {base_year}-{year} (no {base_year} HS6 split, "
            f"nothing after {views.window[1]}). Over {views.window[0]}-{views.window[1]} they show: {shown}; the claim "
            f"implies {asserted_per_year:.1f}%/yr. "
            + " ".join(f"From {base_year}, the {r.view} view reaches {r.last_year} with {r.growth_pct:+.1f}%: "
                       f"{asserted:g}% by {year} would need {r.needed_change_to_year_pct:+.1f}% in {r.missing_years}, "
                       "which no mirrored dataset covers." for r in to_end.itertuples())
            + f" Growth depends on the base year: over the pairs of years the data allow it ranges from "
            f"{pairs['growth_pct'].min():+.1f}% to {pairs['growth_pct'].max():+.1f}% (table in the detail).")
    return record_not_verifiable(claim_id, "data_not_in_mirror", evidence="raw_public_data", datasets=datasets,
                                 explanation=text, detail=detail)


def record_minimal(claim_id: str, weights: dict[str, dict], group: list[str], members: list[str], *,
                   limit_pct: float, base: int, end: int) -> dict:
    """Record "minimal impact" of ``group``: the tests of :func:`minimal_tests`, or not_verifiable if the
    member set lacks a named member (a claim about them cannot be contradicted without them)."""
    datasets = ["comtrade-hs8542-world-totals", "wto-semiconductor-imports"]
    outside = sorted(set(group) - set(members))
    if outside:
        return record_not_verifiable(
            claim_id, "no_data_for_period", evidence="raw_public_data", datasets=datasets,
            explanation=f"The member set of this run lacks {', '.join(outside)}, named by the claim; "
                        "rerun with a member set that includes them.")
    absent = [view for view, w in weights.items() if not w["present"]]
    shown = "; ".join(f"{view} view: {w['share_of_exports_pct']:.2f}% of exports in {end}, "
                      f"{w['share_of_growth_pct']:.2f}% of growth {base}-{end}"
                      for view, w in weights.items() if w["present"])
    text = (f"Share of {'+'.join(group)} in ASEAN's semiconductor exports: {shown}."
            + (f" Not in the {', '.join(absent)} view (they do not report): not evaluable there, not 'not met'."
               if absent else ""))
    return record(claim_id, minimal_tests(weights, group, limit_pct, base, end), evidence="raw_public_data",
                  datasets=datasets, explanation=text, detail=weights)


def record_ahead(claim_id: str, views: ExportViews, leaders: list[str], others: list[str]) -> dict:
    """Record "more advanced players" as exports in the mirror view's latest year, leaders against the others."""
    year = views.window[1]
    tests = ahead_tests(views.mirror_level.exports, views.reporter, leaders, others, year)
    values = views.mirror_level.exports.query("year == @year").groupby("member")["value_usd"].sum().div(1e9)
    own = views.reporter.query("year == @year").groupby("member")["value_usd"].sum().div(1e9)
    shown = ", ".join(f"{m} {values[m]:.2f} bn" for m in [*leaders, *others] if m in values.index)
    bounds = [m for m in leaders if m not in values.index and m in own.index]
    bound_text = "".join(f" {m} is absent from the mirror view; its own declared HS 8542 exports, {own[m]:.2f} bn, are a "
                         "lower bound of the same flow." for m in bounds)
    return record(claim_id, tests, evidence="raw_public_data", datasets=["wto-semiconductor-imports", "comtrade-hs8542-world-totals"],
                  explanation=f"Semiconductor exports (HS 8541+8542, partners' imports, {year}): {shown}.{bound_text} "
                              "Exports measure trade weight, a proxy for how advanced a member's industry is, not its technology.",
                  detail={"year": year, "mirror_exports_bn": {m: round(float(values[m]), 3) for m in values.index},
                          "declared_hs8542_exports_bn": {m: round(float(own[m]), 3) for m in bounds}})


ELECTRONICS_NOTE = ("Electronics exports by member (HS 84-85, public in UN Comtrade and WITS) would settle it; the pinned "
                    "trade data hold semiconductors only (HS 8541-8542).")


def record_not_pinned(claim_id: str, explanation: str, *, datasets: tuple[str, ...] = (), evidence: str = "citation_only") -> dict:
    """Record a claim whose public data are not among the pinned inputs (not verifiable here, with what would settle it)."""
    return record_not_verifiable(claim_id, "data_not_in_mirror", evidence=evidence, datasets=list(datasets),
                                 explanation=explanation)


def record_forecast(claim_id: str, asserted_pct: float, start: int, end: int, forecasts: pd.DataFrame) -> dict:
    """Record a market-growth forecast as not verifiable (projection), with the implied multiplier and
    how the published forecasts compare; returns the verdict and the multiplier."""
    years = end - start
    multiplier = (1 + asserted_pct / 100) ** years
    matching = forecasts[(forecasts["implied_cagr_pct"].round(2) == round(asserted_pct, 2))
                         | (forecasts["stated_cagr_pct"].round(2) == round(asserted_pct, 2))]
    shown = "; ".join(f"{r.publisher} {r.start}-{r.end}: {r.value_start_bn:g} -> {r.value_end_bn:g} bn, implied "
                      f"{r.implied_cagr_pct:.2f}%/yr" + (f" (stated {r.stated_cagr_pct:g}% for {r.stated_period})"
                                                         if pd.notna(r.stated_cagr_pct) else "")
                      for r in forecasts.itertuples())
    text = (f"A forecast for {start}-{end} cannot be checked before {end}. {asserted_pct:g}%/yr over {years} years "
            f"multiplies the market by {multiplier:.3f}. Published forecasts found: {shown}. "
            + ("One of them matches the rate." if len(matching) else f"None gives {asserted_pct:g}%: its source is not located."))
    verdict = record_not_verifiable(
        claim_id, "projection", evidence="arithmetic_on_citation", datasets=["semiconductor-transcribed-figures"],
        explanation=text, detail={"multiplier": round(multiplier, 4), "years": years,
                                  "forecasts": _records(forecasts), "matching_forecasts": len(matching)})
    return {**verdict, "multiplier": multiplier}


def record_us_leads(claim_id: str, shares: pd.DataFrame, *, datasets: list[str]) -> dict:
    """Record SEMI-4 (the US leads design activities) with each activity's leader and the equipment categories led."""
    leaders = {name: leader(shares, i) for i, name in ETO_DESIGN_ACTIVITIES.items()}
    equipment = equipment_leaders(shares)
    led = "; ".join(f"{k} led by {c} ({s:g}%)" for k, (c, s) in leaders.items())
    return record(
        claim_id, us_leads(shares), evidence="derived_data", datasets=datasets,
        explanation=(f"CSET/ETO shares by firm headquarters (mostly 2019): {led}; equipment: the US leads "
                     f"{equipment.get('USA', 0)} of {equipment.sum()} tool categories, Japan {equipment.get('JPN', 0)}, "
                     f"the Netherlands {equipment.get('NLD', 0)} (lithography)."),
        detail={"leaders": {k: [c, s] for k, (c, s) in leaders.items()}, "equipment_categories_led": equipment.to_dict()})


def record_dominance(claim_id: str, matrix: pd.DataFrame, group: list[str], *, datasets: list[str]) -> dict:
    """Record SEMI-6 (the US, China and East Asia dominate every stage) with the group's share of each stage."""
    tests = dominance(matrix, group)
    return record(
        claim_id, tests, evidence="derived_data", datasets=datasets,
        explanation=(f"Combined share of {', '.join(c for c in group if c in matrix.index)} by stage (CSET/ETO, firm "
                     f"headquarters): {'; '.join(tests)}. Research and distribution are not in the data."),
        detail={"group": group, "shares_pct": group_share(matrix, group).to_dict()})


# ---------------------------------------------------------------- readings (sentences computed from the results)

def views_text(views: ExportViews, base_year: int, year: int) -> str:
    """The window compared, the definitions each view measures and the mirror view's coverage."""
    absent = ", ".join(views.mirror.absent_members) or "none"
    return (f"Window compared: {views.window[0]}-{views.window[1]} (claim: {base_year}-{year}). The reporter view measures "
            f"{views.reporter_definition}, the mirror view {views.mirror_definition}; members absent from the mirror view: "
            f"{absent}; importers kept for growth in the mirror view: {len(views.mirror.reporters)}.")


def exports_caption(views: ExportViews) -> str:
    """The caption of the exports-by-member chart (views, definitions, importers and absent members)."""
    absent = ", ".join(views.mirror.absent_members) or "none"
    return (f"ASEAN semiconductor exports by member and year. Left: members' own HS 8542 export declarations (UN Comtrade, "
            f"{views.reporter_definition}). Right: partners' declared HS 8541+8542 imports from each member (WTO, "
            f"{views.mirror_definition}; {len(views.mirror.reporters)} importers; members absent: {absent}).")


def level_reading(views: ExportViews, levels: pd.DataFrame, *, year: int, asserted: float) -> str:
    """What the export levels say about the asserted ``year`` level, in two or three sentences."""
    end = views.window[1]
    own = total_bn(views.reporter, end)
    members = views.reporter.loc[views.reporter["year"] == end, "member"].nunique()
    mirror = total_bn(views.mirror_level.exports, end)
    absent = ", ".join(views.mirror.absent_members) or "none"
    text = (f"The members' own {end} IC exports ({views.reporter_definition}) total {own:.1f} bn for {members} members; "
            f"the mirror view gives {mirror:.1f} bn, a lower bound (members absent: {absent}).")
    pair = levels[levels["same_members"] & (levels["year"] == year)].set_index("definition")["value_bn"]
    if {views.reporter_definition, views.mirror_definition} <= set(pair.index):
        low, high = pair[views.reporter_definition], pair[views.mirror_definition]
        gap = 100 * (low / asserted - 1)
        where = "between them" if low <= asserted <= high else "below both" if asserted < low else "above both"
        text += (f" For {year}, the same members give {low:.1f} bn of ICs and at least {high:.1f} bn of ICs plus other "
                 f"devices: {asserted:g} bn lies {where} (ICs only are {gap:+.1f}% from it).")
    else:
        text += f" No estimate of both definitions for {year} covers the same members."
    return text


def growth_reading(growth: pd.DataFrame, to_end: pd.DataFrame, *, window: tuple[int, int], base_year: int, year: int,
                   asserted: float) -> str:
    """What the growth estimates say about the asserted growth over ``base_year``-``year``."""
    first, last = window
    per_year = 100 * ((1 + asserted / 100) ** (1 / (year - base_year)) - 1)
    covered = "is covered" if window == (base_year, year) else f"is not covered; the data give {first}-{last}"
    shown = ", ".join(f"{r.growth_pct:+.1f}% in the {r.estimate}" for r in growth.itertuples())
    text = (f"The claim's window {base_year}-{year} {covered}. Over {first}-{last} exports grew {shown}, against "
            f"{asserted:g}% over the claim's {year - base_year} years ({per_year:.1f}% a year).")
    for r in to_end.itertuples():
        text += (f" From {base_year}, the {r.view} view reaches {r.last_year} with {r.growth_pct:+.1f}%: {asserted:g}% by "
                 f"{year} would need {r.needed_change_to_year_pct:+.1f}% in {r.missing_years}.")
    return text
