"""Records of the trade-network claims (SEMI-7, FIG-2) and of the credited source (SRC-1)."""

import pandas as pd

from .. import claims
from ..analysis.network import LOWER_BOUND, NOT_COVERED, Edges, Tests, bottom_group_test


def record_lowest(claim_id: str, tests: Tests, table: pd.DataFrame, *, datasets: list[str], evidence: str,
                  explanation: str, named: list[str], members: list[str]) -> dict:
    """Record a criteria claim on degrees with the per-member numbers and the by-construction tests as detail;
    not_verifiable if the member set lacks a named member, or if no test is left."""
    values, by_construction = tests
    detail = {f"{r.view} {r.year} {r.iso3}": (None if pd.isna(r.total_degree) else int(r.total_degree))
              for r in table.itertuples()} | {"by_construction": by_construction}
    missing = sorted(set(named) - set(members))
    if missing or not values:
        why = (f"The member set of this run lacks {', '.join(missing)}, named by the claim; rerun with them."
               if missing else "Every test holds by construction (lower bounds), none is evidence.")
        return claims.record_not_verifiable(claim_id, "no_data_for_period", evidence=evidence, datasets=datasets,
                                            explanation=f"{why} {explanation}", detail=detail)
    return claims.record(claim_id, values, evidence=evidence, datasets=datasets, explanation=explanation, detail=detail)


def _degrees_text(checked: pd.DataFrame) -> str:
    shown = ", ".join(f"{r.iso3} {'>=' if r.coverage == LOWER_BOUND else ''}{r.total_degree}"
                      for r in checked.sort_values("total_degree").itertuples() if r.coverage != NOT_COVERED)
    absent = checked.loc[checked["coverage"] == NOT_COVERED, "iso3"].tolist()
    lower = checked.loc[checked["coverage"] == LOWER_BOUND, "iso3"].tolist()
    return (shown + (f"; not covered: {', '.join(absent)}" if absent else "")
            + (f"; lower bounds (member does not report): {', '.join(lower)}" if lower else ""))


def record_named_lowest(claim_id: str, tests: Tests, table: pd.DataFrame, *, view: str, year: int, product: str,
                        min_link_usd: float, lacking: dict[str, list[int]], datasets: list[str], named: list[str],
                        members: list[str]) -> dict:
    """Record SEMI-7: the named members' degrees against the others' in the chosen view and year."""
    checked = table[(table["view"] == view) & (table["year"] == year)]
    if year in lacking.get(view, []):
        seen = f"The {view} view has no {year} (it lacks {', '.join(map(str, lacking[view]))}): not evaluable in it."
    else:
        seen = (f"Total degree (distinct partners, in + out) in the {view} view, {year}, links >= US$ {min_link_usd:,.0f}: "
                f"{_degrees_text(checked)}.")
    return record_lowest(claim_id, tests, checked, datasets=datasets, evidence="raw_public_data", named=named,
                         members=members,
                         explanation=(f"{seen} One product group only ({product}: chips, the output of fabrication and ATP), "
                                      "so 'across all production stages' is not tested stage by stage."))


def record_figure(claim_id: str, tests: Tests, table: pd.DataFrame, *, min_link_usd: float,
                  lacking: dict[str, list[int]], datasets: list[str], named: list[str], members: list[str]) -> dict:
    """Record FIG-2: the named members at the bottom in every view and year (views lacking a year named)."""
    missing = "; ".join(f"the {name} view has no {', '.join(map(str, ys))} (not evaluable there)" for name, ys in lacking.items())
    return record_lowest(
        claim_id, tests, table, datasets=datasets, evidence="raw_public_data", named=named, members=members,
        explanation=("Figure 2 reconstructed with our data (not the article's figure): total degree per member in each "
                     f"view and year, links >= US$ {min_link_usd:,.0f}; the reporter view sees BRN, KHM, LAO, MMR only "
                     "through six reporters (lower bounds: a result resting on them is listed as by construction, not "
                     "counted); the mirror view does not cover Viet Nam" + (f"; {missing}" if missing else "") + "."))


def record_source_search(claim_id: str, found: pd.DataFrame) -> dict:
    """Record SRC-1 (the credited study) as not verifiable, with the closest published matches."""
    return claims.record_not_verifiable(
        claim_id, "source_not_found", evidence="citation_only", datasets=[],
        explanation=("No ERIA study of 2021 on ASEAN's semiconductor trade network was found. Closest published match: "
                     + "; ".join(f"{r.source_title}, {r.publisher}, {r.year} ({r.url})" for r in found.itertuples())
                     + ". Figure 2 here is a reconstruction with UN Comtrade and WTO data."),
        detail={"candidates": found["id"].tolist(), "candidate_years": found["year"].tolist()})


def reading(table: pd.DataFrame, named: list[str], lacking: dict[str, list[int]]) -> str:
    """One sentence per view and year: the lowest total degrees and whether the named members are the lowest."""
    sentences = []
    for (view, year), part in table.groupby(["view", "year"], sort=True):
        known = part[part["coverage"] != NOT_COVERED].sort_values(["total_degree", "iso3"])
        lowest = known.head(len(named))
        shown = ", ".join(f"{r.iso3} {'>=' if r.coverage == LOWER_BOUND else ''}{r.total_degree}" for r in lowest.itertuples())
        held, built = bottom_group_test(part, named, "")
        outcome = ("hold the lowest degrees only by construction (lower bounds)" if built
                   else "hold the lowest degrees" if next(iter(held.values())) else
                   "do not hold the lowest degrees" if next(iter(held.values())) is False else "cannot all be placed")
        sentences.append(f"{view} view, {year}: the {len(named)} lowest are {shown}; the named members {outcome}.")
    sentences += [f"{view} view: no {', '.join(map(str, ys))} in the data, not evaluable there." for view, ys in lacking.items()]
    return " ".join(sentences)


def changes_text(moves: pd.DataFrame, base_year: int, year: int) -> str:
    """One line per view: each member's change in total degree between the two years (lower bounds marked)."""
    lines = []
    for view, part in moves.groupby("view"):
        changes = ", ".join(f"{r.iso3} {r.change:+d}" + (" (lower bound)" if LOWER_BOUND in (r.coverage_base, r.coverage_year) else "")
                            for r in part[part["change"].notna()].itertuples())
        lines.append(f"degree change {base_year} -> {year} ({view} view): {changes}")
    return "\n".join(lines)


def moves_summary(moves: pd.DataFrame, year: int) -> str:
    """One line: per view, the members with the most and the fewest partners in ``year`` and how many gained or lost."""
    parts = []
    for view, part in moves.groupby("view"):
        known = part.dropna(subset=["degree_year"]).sort_values(["degree_year", "iso3"])
        gained, lost = int((part["change"] > 0).sum()), int((part["change"] < 0).sum())
        parts.append(f"{view} view {year}: most partners {known.iloc[-1]['iso3']} ({known.iloc[-1]['degree_year']}), fewest "
                     f"{known.iloc[0]['iso3']} ({known.iloc[0]['degree_year']}); {gained} members gained partners, {lost} lost some")
    return "; ".join(parts) + "."


def views_text(views: dict[str, Edges], lacking: dict[str, list[int]], years: list[int]) -> str:
    """One line per view: links declared, years and products held, rows excluded, and which of ``years`` it lacks."""
    return "\n".join(f"{name} view: {len(e.table):,} declared links, years {e.years()}, products {e.products()}; "
                     f"{len(e.excluded)} rows excluded; years of {years} it lacks: {lacking.get(name) or 'none'}"
                     for name, e in views.items())
