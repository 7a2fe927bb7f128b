"""Records and readings of the corridor's premises (EN-1 to EN-7) from :mod:`asean_analysis.analysis.energy` results."""

import pandas as pd

from .. import claims
from ..analysis.energy import GasFacts, HydroFacts, WorkforceFacts
from . import line

GAS_DATA = ["bp-statistical-review-2021", "owid-energy-extract-brunei-laos", "wdi-pop-2026-07"]
HYDRO_DATA = ["owid-electricity-mix-2022", "owid-energy-extract-brunei-laos"]
WORK_DATA = ["owid-median-age-wpp2022", "owid-population-age-groups-wpp2022", "digital-transcribed-figures"]
# Why the two judgements of the corridor cannot be checked with data (EN-6, EN-5).
JUDGEMENTS = {
    "EN-6": "'Valuable logistics hub' for assembly and testing is a judgement; the article names no measure and no "
            "logistics data (freight, border crossings, transit times) are in the pinned data.",
    "EN-5": "A suggested role for the Sihanoukville zone with exports routed via Viet Nam's ports; the article gives no "
            "measure (throughput, transit time, cost) and no port data are in the pinned data.",
}


def _usd(values: dict) -> str:
    return ", ".join(f"{c} US$ {v:.0f}" for c, v in values.items())


def gas(tests: dict, f: GasFacts, parameters: dict) -> str:
    """Record EN-1 (Brunei's gas) and return the lines to print: verdict and key numbers."""
    explanation = (
        f"Brunei's proved gas reserves were {f.reserves_tcm:.3f} tcm at end-{f.year} (bp 2021, the last edition with "
        f"reserves): {f.world_share_pct:.2f}% of the world's, {f.reserves_to_production_years:.0f} years of production, "
        f"{f.reserves_m3_per_head:,.0f} m3 per head (rank {f.rank_per_head} of {f.members_with_data} members with data), "
        f"and rank {f.rank_absolute} of {f.members_with_data} in absolute terms. In {f.recent_year} gas production "
        f"({f.gas_production_twh:.1f} TWh) was {f.production_to_primary_energy:.2f} times Brunei's total primary energy "
        "use (above 1: a surplus for export).")
    detail = {"reserves_tcm": f.reserves_tcm, "world_share_pct": f.world_share_pct,
              "reserves_m3_per_head": f.reserves_m3_per_head, "members_median_reserves_tcm": f.members_median_reserves_tcm,
              "reserves_to_production_years": f.reserves_to_production_years,
              "members_median_reserves_to_production_years": f.members_median_rp_years,
              "production_to_primary_energy": f.production_to_primary_energy}
    verdict = claims.record("EN-1", tests, evidence="raw_public_data", datasets=GAS_DATA, parameters=parameters,
                            explanation=explanation, detail=detail)
    vintage = "not in both" if f.vintage_difference_twh is None else f"{f.vintage_difference_twh:+.2f} TWh"
    return "\n".join([
        line("EN-1", verdict),
        f"Brunei {f.year}: reserves {f.reserves_tcm:.3f} tcm ({f.world_share_pct:.2f}% of world), "
        f"{f.reserves_m3_per_head:,.0f} m3 per head, R/P {f.reserves_to_production_years:.1f} years; members' median "
        f"reserves {f.members_median_reserves_tcm:.3f} tcm, median R/P {f.members_median_rp_years:.1f} years",
        f"Brunei {f.recent_year}: gas production {f.gas_production_twh:.1f} TWh vs primary energy {f.primary_energy_twh:.1f} TWh",
        f"vintage check, {f.year} production current OWID minus bp 2021: {vintage}"])


def surplus_summary(f: GasFacts) -> str:
    """One line above the year-by-year surplus table."""
    return (f"Brunei's gas production exceeded its total primary energy use in {f.years_with_surplus} of the "
            f"{f.years_known} years with both values; in {f.recent_year} by a factor of {f.production_to_primary_energy:.2f}.")


def hydro(tests: dict, f: HydroFacts, parameters: dict) -> str:
    """Record EN-2 (Laos' hydropower) and return the lines to print."""
    worst = f.share_differences[f.largest_difference_year]
    explanation = (
        f"In {f.year} hydropower made {f.hydro_share_pct:.1f}% of Laos' electricity (next: {f.next_member} "
        f"{f.next_hydro_share_pct:.1f}%) and Laos' net imports were {f.net_imports_twh:+.1f} TWh (largest net exporter: "
        f"{f.largest_exporter}; OWID 2022 vintage). In {f.recent_year} (current vintage) the hydro share was "
        f"{f.recent_hydro_share_pct:.1f}% and net imports {f.recent_net_imports_twh:+.1f} TWh. The vintages differ by up "
        f"to {worst:+.1f} points ({f.largest_difference_year}).")
    detail = {"hydro_share_pct": f.hydro_share_pct, "net_exports_twh": -f.net_imports_twh,
              "recent_hydro_share_pct": f.recent_hydro_share_pct, "recent_net_exports_twh": -f.recent_net_imports_twh}
    verdict = claims.record("EN-2", tests, evidence="raw_public_data", datasets=HYDRO_DATA, parameters=parameters,
                            explanation=explanation, detail=detail)
    differences = ", ".join(f"{y} {d:+.2f}" for y, d in f.share_differences.items())
    return "\n".join([
        line("EN-2", verdict),
        f"Laos {f.year} (2022 vintage): hydro {f.hydro_share_pct:.1f}% (next {f.next_member} "
        f"{f.next_hydro_share_pct:.1f}%), net imports {f.net_imports_twh:+.2f} TWh",
        f"Laos {f.recent_year} (current vintage): hydro {f.recent_hydro_share_pct:.1f}%, "
        f"net imports {f.recent_net_imports_twh:+.2f} TWh",
        f"vintage differences (current minus 2022), hydro share points: {differences}"])


def workforce(tests: dict, f: WorkforceFacts, *, age_year: int, wage_year: int, days_per_month: int,
              members: list[str], parameters: dict) -> str:
    """Record EN-3 (Cambodia's workforce) and return the lines to print."""
    explanation = (
        f"Cambodia's median age was {f.median_age:.1f} in {age_year} (members' median {f.members_median_age:.2f}; rank "
        f"{f.youngest_rank} youngest of {f.members_with_age}) and {f.under_25_pct:.1f}% of its people were under 25 "
        f"(median {f.members_median_under_25_pct:.1f}%). Its garment-sector minimum wage, US$ {f.wage_usd_month:.0f} a "
        f"month in {wage_year}, compares with the lowest sourced minimum of {_usd(f.floors_usd_month)} (daily rates x "
        f"{days_per_month} days; wages from data/reference/wages.csv, transcribed with citations). Only "
        f"{len(f.wage_members)} of the {len(members)} members have a sourced minimum wage ({', '.join(f.wage_members)}); "
        "sectoral vs regional vs daily minimums, exchange rates and hours limit the comparison.")
    detail = {"median_age": f.median_age, "members_median_age": f.members_median_age, "under_25_pct": f.under_25_pct,
              "wage_usd_month": f.wage_usd_month, "comparator_floor_usd_month": f.floors_usd_month}
    verdict = claims.record("EN-3", tests, evidence="derived_data", datasets=WORK_DATA, parameters=parameters,
                            explanation=explanation, detail=detail)
    floors = ", ".join(f"{c} {v:.1f}" for c, v in f.floors_usd_month.items())
    ceilings = ", ".join(f"{c} {v:.1f}" for c, v in f.ceilings_usd_month.items())
    return "\n".join([
        line("EN-3", verdict),
        f"median age {age_year}: Cambodia {f.median_age:.1f}, members' median {f.members_median_age:.2f}; under-25 share: "
        f"Cambodia {f.under_25_pct:.1f}%, members' median {f.members_median_under_25_pct:.1f}%",
        f"minimum wage {wage_year} (US$/month): Cambodia {f.wage_usd_month:.1f}; lowest elsewhere: {floors}",
        f"highest band elsewhere: {ceilings}"])


def young(tests: dict, ages: pd.DataFrame, named: list[str], year: int, parameters: dict) -> str:
    """Record EN-7 (young workforces of the named members) from the members' median ages; return the line to print."""
    age = ages.set_index("iso3")["median_age"]
    shown = {c: float(age[c]) for c in named if c in age.index}
    members_median = float(age.median())
    explanation = (f"Median age in {year} (UN WPP 2022): " + ", ".join(f"{c} {v:.1f}" for c, v in shown.items())
                   + f"; members' median {members_median:.2f}.")
    verdict = claims.record("EN-7", tests, evidence="raw_public_data", datasets=["owid-median-age-wpp2022"],
                            parameters=parameters, explanation=explanation,
                            detail={"median_age": shown, "members_median_age": members_median})
    return line("EN-7", verdict)


def location(tests: dict, borders: pd.DataFrame, parameters: dict) -> str:
    """Record EN-4 (Myanmar's borders, from the cited table) and the two judgements EN-6 and EN-5; return the lines."""
    cited = ", ".join(f"{r.neighbour} {int(r.border_km):,} km" for r in borders.itertuples())
    source = f"{borders['publisher'].iat[0]}, {borders['source_title'].iat[0]}"
    lines = [line("EN-4", claims.record("EN-4", tests, evidence="derived_data", datasets=[], parameters=parameters,
                                        explanation=f"Myanmar's land borders ({cited}; {source})."))]
    for cid, why in JUDGEMENTS.items():
        verdict = claims.record_not_verifiable(cid, "qualitative", evidence="citation_only", datasets=[],
                                               explanation=why, parameters=parameters)
        lines.append(line(cid, verdict))
    return "\n".join(lines)


def reading(gas_f: GasFacts, hydro_f: HydroFacts, work_f: WorkforceFacts) -> str:
    """The reading's sentences, every number from the run's results."""
    return (
        f"Brunei's proved gas reserves, {gas_f.reserves_tcm:.3f} tcm at end-{gas_f.year}, are {gas_f.world_share_pct:.2f}% "
        f"of the world's and rank {gas_f.rank_absolute} of {gas_f.members_with_data} members with data; they last "
        f"{gas_f.reserves_to_production_years:.0f} years at {gas_f.year} output (members' median "
        f"{gas_f.members_median_rp_years:.0f}), and in {gas_f.recent_year} its gas output was "
        f"{gas_f.production_to_primary_energy:.2f} times its own primary energy use. Laos' hydro share was "
        f"{hydro_f.hydro_share_pct:.1f}% in {hydro_f.year} (next: {hydro_f.next_member} {hydro_f.next_hydro_share_pct:.1f}%). "
        f"Cambodia's median age was {work_f.median_age:.1f} (members' median {work_f.members_median_age:.2f}); only "
        f"{len(work_f.wage_members)} members have a sourced minimum wage.")
