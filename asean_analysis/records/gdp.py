"""Records and readings of ASEAN's GDP rank (GDP-1, GDP-2), the less-developed members (DEV-1) and growth (GROW-1)."""

from .. import claims
from ..analysis.gdp import Ranking, Spread, position
from ..load import GDP_SOURCES
from . import line

SCOPES = {"world": "the world", "asia": "Asia"}


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def datasets(source: str) -> list[str]:
    """The datasets behind a ranking from GDP source ``source``."""
    return [GDP_SOURCES[source], "un-m49"]


def _neighbours(pos: dict) -> str:
    above = "none" if pos["above"] is None else f"{pos['above']} (+{pos['margin_to_above_pct']:.1f}%)"
    below = "none" if pos["below"] is None else f"{pos['below']} (-{pos['margin_to_below_pct']:.1f}%)"
    return f"above: {above}, below: {below}"


def rank(claim_id: str, ranking: Ranking, scope: str, source: str, year: int, *, parameters: dict,
         variants: dict | None = None) -> str:
    """Record ASEAN's rank in ``scope`` (world | asia) for a claim, or why it cannot be computed; return the lines to print.

    ``variants``: rank by label under the notebook's sensitivity variants (same year), for fragility."""
    if ranking.missing_members:
        verdict = claims.record_not_verifiable(
            claim_id, "no_data_for_period", evidence="raw_public_data", datasets=datasets(source), parameters=parameters,
            explanation=f"{source} has no {year} GDP for {', '.join(ranking.missing_members)}: the ASEAN total would be incomplete.")
        return line(claim_id, verdict)
    pos = position(ranking, scope)
    estimated = bool(ranking.table.loc[ranking.table["iso3"] == "ASEAN", "is_estimate"].iat[0])
    text = (f"ASEAN's {year} GDP of US$ {pos['gdp_usd'] / 1e12:.2f} tn ranks {_ordinal(pos['rank'])} in "
            f"{SCOPES[scope]} ({source})")
    if pos["above"]:
        text += f"; {pos['above']} above is {pos['margin_to_above_pct']:.1f}% larger"
    if pos["below"]:
        text += f"; {pos['below']} below is {pos['margin_to_below_pct']:.1f}% smaller"
    text += ". Includes IMF staff estimates." if estimated else "."
    verdict = claims.record(claim_id, pos["rank"], evidence="raw_public_data", datasets=datasets(source), explanation=text,
                            detail=pos, parameters=parameters, variants=variants)
    return f"{line(claim_id, verdict)}\n  rank {pos['rank']}; {_neighbours(pos)}"


def spread_lines(s: Spread, asserted_world: int, asserted_asia: int) -> str:
    """The ranks of the claim's year across sources and EU treatments, ASEAN's GDP by source, and where ranks differ."""
    gdp = ", ".join(f"{source} {value:.2f}" for source, value in s.asean_gdp_usd_tn.items())
    differing = "; ".join(s.differing) or "none"
    return "\n".join([
        f"{s.year}: world rank {list(s.world_ranks)}, Asia rank {list(s.asia_ranks)} across {s.sources} sources x EU treatment",
        f"ASEAN GDP (US$ tn): {gdp}",
        f"source-years where the rank differs from {asserted_world} (world) / {asserted_asia} (Asia): {differing}"])


def development(tests: dict, ranks: dict, *, members_with_data: int, median_usd: float, source: str, year: int,
                parameters: dict) -> str:
    """Record DEV-1 (the named members below the members' median GDP per head); return the lines to print."""
    shown = ", ".join(f"{c} {r} of {members_with_data}" for c, r in ranks.items())
    explanation = (f"Rank by GDP per head among the members in {year}: {shown}. The article may mean semiconductor "
                   "capability rather than income; by income Brunei is among the richest members.")
    verdict = claims.record("DEV-1", tests, evidence="raw_public_data", datasets=[GDP_SOURCES[source], "wdi-pop-2026-07"],
                            explanation=explanation, detail={"ranks": ranks, "median_usd": median_usd},
                            parameters=parameters)
    return f"{line('DEV-1', verdict)}\nranks by GDP per head: {ranks}"


def growth(context: dict, source: str, parameters: dict) -> str:
    """Record GROW-1 as not verifiable here (real growth is not in the pinned data), with nominal growth as context."""
    explanation = "Real GDP growth (WDI NY.GDP.MKTP.KD.ZG) is public but not in the pinned data."
    summary = "no nominal context: the source lacks two complete years for the members"
    if context:
        asean, world = context["asean_nominal_cagr_pct"], context["world_nominal_cagr_pct"]
        world_text = f"the world's {world:.1f}%" if world is not None else "the world's not in this source"
        summary = (f"nominal US$ CAGR {context['start_year']}-{context['end_year']}: members {asean:.1f}%"
                   + (f", world {world:.1f}%" if world is not None else ""))
        explanation += (f" Context only: the members' nominal GDP in current US$ grew {asean:.1f}% a year from "
                        f"{context['start_year']} to {context['end_year']}, {world_text} ({source}); nominal US$ "
                        "growth includes inflation and exchange-rate changes.")
    verdict = claims.record_not_verifiable("GROW-1", "data_not_in_mirror", evidence="raw_public_data",
                                           datasets=[GDP_SOURCES[source]], parameters=parameters,
                                           explanation=explanation, detail=context)
    return f"{line('GROW-1', verdict)}\n{summary}"


def reading(ranking: Ranking, s: Spread, ranks: dict, members_with_data: int, source: str) -> str:
    """The reading's sentence, every number from the run's results."""
    world, asia = position(ranking, "world"), position(ranking, "asia")
    world_ranks = " or ".join(map(str, s.world_ranks))
    asia_ranks = " or ".join(map(str, s.asia_ranks))
    named = ", ".join(f"{c} {r}" for c, r in ranks.items())
    return (f"With {source} for {s.year}, ASEAN as one economy ranks {world['rank']} in the world and {asia['rank']} in "
            f"Asia; across {s.sources} sources and both EU treatments the {s.year} world rank is {world_ranks} and the "
            f"Asia rank {asia_ranks}. By GDP per head the named members rank {named} of {members_with_data}.")
