"""Records and readings of the internet claims (NET-1 to NET-4) from :mod:`asean_analysis.analysis.internet` results."""

import pandas as pd

from .. import claims
from ..analysis.internet import BROADBAND, DAYS_PER_YEAR, INTERNET, POPULATION_SOURCES, Comparison, Origin, complete, mekong_tests
from . import line


def datasets(vintage: str, *extra: str) -> list[str]:
    """The datasets behind a users computation with population vintage ``vintage``."""
    return [INTERNET, POPULATION_SOURCES[vintage], "un-m49", *extra]


def markets_lines(asean: list[str], markets: dict[str, list[str]], no_population: list[str], *, custom: bool,
                  as_of: str) -> str:
    """The member set, the size of each compared market, and the codes outside every total (for the data section)."""
    which = "custom list" if custom else f"on {as_of}"
    lines = [f"ASEAN ({which}): {len(asean)} members: {', '.join(asean)}"]
    for market, codes in markets.items():
        shown = f" ({', '.join(codes)})" if len(codes) <= 12 else ""
        lines.append(f"{market}: {len(codes)} econom{'y' if len(codes) == 1 else 'ies'}{shown}")
    lines.append(f"{len(no_population)} classified codes have no WDI population and stay outside every total and coverage "
                 f"base (territories, Taiwan, and the IMF aliases KOS and WBG): {', '.join(no_population)}")
    return "\n".join(lines)


def judge_variants(sens: pd.DataFrame) -> pd.DataFrame:
    """The NET-1 and NET-2 verdicts of every variant of an ``internet.sensitivity`` table (not_evaluable where it is not)."""
    registry = claims.registry()
    net1 = [claims.evaluate(registry["NET-1"], v)["verdict"] if ok else "not_evaluable"
            for v, ok in zip(sens["asean_new_per_day"], sens["evaluable"])]
    net2 = [claims.evaluate(registry["NET-2"], t)["verdict"] if ok else "not_evaluable"
            for t, ok in zip(sens["NET-2 tests"], sens["evaluable"])]
    return sens.assign(**{"NET-1": net1, "NET-2": net2})


def variant_summary(sens: pd.DataFrame) -> str:
    """How many variants earn each verdict, and the windows whose average is within NET-1's band."""
    lines = []
    for cid in ("NET-1", "NET-2"):
        counts = sens[cid].value_counts()
        shown = ", ".join(f"{v} {counts[v]}" for v in claims.VERDICTS if v in counts)
        lines.append(f"{cid} across {len(sens)} variants: {shown}")
    fits = sorted(set(sens.loc[sens["NET-1"].isin(["supported", "approximately"]), "window"]))
    claim = claims.registry()["NET-1"]
    band = f"within {claim.check['approx_rel']:.0%} of {claim.asserted:,}"
    lines.append(f"NET-1 {band} (under at least one policy and vintage) in windows: {', '.join(fits) or 'none'}")
    return "\n".join(lines)


def variants(sens: pd.DataFrame, start: int, end: int, claim_id: str, value: str) -> dict:
    """``value`` of each evaluable variant of the window ``start``-``end`` by "population vintage, gap policy" (for the
    fragility of ``claim_id``; ``sens``: :func:`judge_variants`)."""
    rows = sens[(sens["window"] == f"{start}-{end}") & (sens[claim_id] != "not_evaluable")]
    return {f"{r['population']}, {r['gap_policy']}": r[value] for _, r in rows.iterrows()}


def years_vs_claim(by_year: pd.DataFrame) -> pd.DataFrame:
    """ASEAN's year-by-year rows of an ``internet.yearly`` table with the verdict each year's rate would earn for NET-1."""
    claim = claims.registry()["NET-1"]
    rows = by_year[by_year["market"] == "ASEAN"]
    verdicts = [claims.evaluate(claim, v)["verdict"] if m == "" else "incomplete"
                for v, m in zip(rows["new_per_day"], rows["missing"])]
    return rows.assign(users_m=rows["users_end"] / 1e6, verdict_vs_125k=verdicts)


def origin_text(o: Origin) -> str:
    """Where the figure comes from, for NET-1's explanation."""
    return (f"Origin: e-Conomy SEA 2016 projected {o.monthly_m:g} m new users a month for six members in 2015-2020 "
            f"(= {o.implied_per_day:,.0f} a day), and the WEF 'Digital ASEAN' page (c. 2018-2019) gives 125,000 a day; "
            f"the data show {o.sea6_per_day:,.0f} a day for those six and {o.asean_per_day:,.0f} for ASEAN in 2015-2020. "
            "The op-ed's figure matches this projection, made about eight years before the article.")


def new_users(result: pd.DataFrame, by_year: pd.DataFrame, o: Origin, *, policy: str, vintage: str, variants: dict,
              parameters: dict) -> str:
    """Record NET-1: ASEAN's net new users per day in the window's last year ("now"), the window average as context,
    the rate realised over the projection's period as the earlier value (outdated test) and ``variants`` (the last-year
    rate under other gap policies and population vintages) for fragility; return the lines to print."""
    me = result.set_index("market").loc["ASEAN"]
    now = by_year[(by_year["market"] == "ASEAN") & (by_year["year"] == me["end"])]
    origin = origin_text(o)
    if not complete(result) or now.empty or now["missing"].iat[0]:
        verdict = claims.record_not_verifiable(
            "NET-1", "no_data_for_period", evidence="raw_public_data", datasets=datasets(vintage), parameters=parameters,
            explanation=f"No internet-use value at {me['end'] - 1}, {me['start']} or {me['end']} for every member under "
                        f"gap_policy {policy}: ASEAN's total would be incomplete. {origin}")
        return line("NET-1", verdict)
    claim = claims.registry()["NET-1"]
    rate = float(now["new_per_day"].iat[0])
    asean = by_year[by_year["market"] == "ASEAN"]
    fits = [str(r.year) for r in asean.itertuples()
            if not r.missing and claims.evaluate(claim, r.new_per_day)["verdict"] != "contradicted"]
    text = (f"In {me['end'] - 1}-{me['end']}, the latest year every member reports, ASEAN added {rate:,.0f} internet "
            f"users a day (ITU share x WDI population {vintage}; {DAYS_PER_YEAR} days a year). Context: "
            f"{me['new_per_day']:,.0f} a day on average over {me['start']}-{me['end']} ({me['users_start'] / 1e6:.0f} m to "
            f"{me['users_end'] / 1e6:.0f} m users); single years within the band of {claim.asserted:,}: "
            f"{', '.join(fits) or 'none'}. {origin}")
    if me["filled"]:
        text += f" Values filled by gap_policy {policy} at the window's ends: {me['filled']}."
    earlier = {"period": "2015-2020 (realised over the period of the 2016 projection)", "computed": o.asean_per_day}
    verdict = claims.record("NET-1", rate, evidence="raw_public_data", datasets=datasets(vintage, "digital-transcribed-figures"),
                            explanation=text, parameters=parameters, earlier=earlier, variants=variants,
                            detail={"year": int(me["end"]), "window": f"{me['start']}-{me['end']}", "gap_policy": policy,
                                    "window_average_per_day": me["new_per_day"], "years_in_band": fits})
    return "\n".join([
        line("NET-1", verdict),
        f"ASEAN {me['end'] - 1}-{me['end']}: {rate:,.0f} new users a day; average {me['start']}-{me['end']}: "
        f"{me['users_start'] / 1e6:.1f} m -> {me['users_end'] / 1e6:.1f} m users, {me['new_per_day']:,.0f} a day",
        f"e-Conomy SEA 2016 projection: {o.implied_per_day:,.0f} a day; realised 2015-2020: SEA-6 {o.sea6_per_day:,.0f}, "
        f"ASEAN {o.asean_per_day:,.0f} a day"])


def fastest(result: pd.DataFrame, comparison: Comparison, *, policy: str, vintage: str, note: str, parameters: dict,
            variants: dict) -> str:
    """Record NET-2: one test per comparator and reading; a comparator without data gives None tests.
    ``variants``: the tests under other gap policies and population vintages, same window (fragility). Returns the
    lines to print: verdict, each test, the comparators left out and every market's new users a day."""
    rows = result.set_index("market")
    span = f"{rows.loc['ASEAN', 'start']}-{rows.loc['ASEAN', 'end']}"
    used = rows[rows["countries_used"] > 0]
    ahead = {m: f"{r['new_per_day']:,.0f}/day, {r['growth_pct']:+.0f} %" for m, r in used.iterrows()}
    text = (f"Net new internet users a day and growth of users, {span} (gap_policy {policy}): "
            + "; ".join(f"{m} {v}" for m, v in ahead.items())
            + ". The world is compared in % growth only (ASEAN is part of it)."
            + "".join(f" Not evaluable: {m} ({why})." for m, why in comparison.not_evaluable.items()) + f" {note}")
    verdict = claims.record("NET-2", comparison.tests, evidence="raw_public_data", datasets=datasets(vintage),
                            explanation=text, detail={"window": span, "gap_policy": policy}, parameters=parameters,
                            variants=variants)
    marks = {None: "no data", True: "yes", False: "no "}
    per_day = ", ".join(f"{m} {v:,.0f}" for m, v in used["new_per_day"].items())
    return "\n".join([line("NET-2", verdict), *(f"  {marks[met]}  {test}" for test, met in comparison.tests.items()),
                      *(f"  not evaluable: {m} ({why})" for m, why in comparison.not_evaluable.items()),
                      f"new users per day: {per_day}"])


def mekong(tables: list[pd.DataFrame], named: list[str], parameters: dict) -> str:
    """Record NET-3 from ``internet.gap`` tables (internet use, fixed broadband) and NET-4 (digital literacy: not in the
    pinned data); return the lines to print."""
    ranks = "; ".join(f"{t['indicator'].iat[0]} {t['year'].iat[0]}: " + ", ".join(
        f"{r.iso3} {r.rank}/{len(t)}" for r in t[t["named"]].itertuples()) for t in tables)
    text = (f"Ranks among the members: {ranks}. These indicators measure access (use of the Internet, fixed "
            "broadband subscriptions); digital literacy is claim NET-4.")
    net3 = claims.record("NET-3", mekong_tests(tables, named), evidence="raw_public_data", datasets=[INTERNET, BROADBAND],
                         explanation=text, detail={"ranks": ranks}, parameters=parameters)
    lines = [line("NET-3", net3)]
    for t in tables:
        values = ", ".join(f"{r.iso3} {r.value:.1f} (rank {r.rank}/{len(t)})" for r in t[t["named"]].itertuples())
        lines.append(f"{t['indicator'].iat[0]} {t['year'].iat[0]}: other members' median {t['others_median'].iat[0]:.1f}; {values}")
    net4 = claims.record_not_verifiable(
        "NET-4", "data_not_in_mirror", evidence="raw_public_data", datasets=[INTERNET], parameters=parameters,
        explanation="No digital-literacy measure is in the pinned data; ITU's share of individuals with ICT skills "
                    "(SDG indicator 4.4.1) is the public candidate, with sparse coverage of the members. Internet use "
                    "measures access, not literacy.")
    lines.append(line("NET-4", net4))
    return "\n".join(lines)


def reading(result: pd.DataFrame, years: pd.DataFrame, o: Origin, ahead: list[str], faster: list[str], policy: str) -> str:
    """The reading's sentences, every number from the run's results (``years``: :func:`years_vs_claim`)."""
    me = result.set_index("market").loc["ASEAN"]
    recent = years.set_index("year")["new_per_day"]
    end, start = int(me["end"]), int(me["start"])
    return (f"ASEAN added {recent.loc[end]:,.0f} internet users a day in {end - 1}-{end} and {me['new_per_day']:,.0f} a "
            f"day on average in {start}-{end}; year by year the gain peaked at {recent.max():,.0f} a day in "
            f"{recent.idxmax()}. Over 2015-2020, the period of the projection the figure comes from, the realised average "
            f"was {o.asean_per_day:,.0f} a day. More new users a day than ASEAN over the window: {', '.join(ahead) or 'none'}; "
            f"faster growth in %: {', '.join(faster) or 'none'} (gap_policy {policy}).")


def gap_summary(tables: list[pd.DataFrame]) -> str:
    """One line above the members' ranking tables: where the named members stand on each indicator."""
    parts = []
    for t in tables:
        named = t[t["named"]]
        below = int(named["below_others_median"].sum())
        ranks = ", ".join(f"{r.iso3} {r.rank}" for r in named.itertuples())
        parts.append(f"{t['indicator'].iat[0]} ({t['year'].iat[0]}): {below} of {len(named)} below the other members' "
                     f"median {t['others_median'].iat[0]:.1f}, ranks {ranks} of {len(t)}")
    return "; ".join(parts)


def trend_summary(trend: pd.DataFrame, named: list[str]) -> str:
    """One line above the trend table: each named member's distance to the other members' median, first to last year
    with values (``trend``: ``internet.gap_trend`` frames with an ``indicator`` column)."""
    parts = []
    for indicator, t in trend.groupby("indicator", sort=False):
        gaps = t.set_index("year")[[c for c in named if c in t.columns]].sub(t.set_index("year")["others_median"], axis=0)
        shown = []
        for code in gaps.columns:
            known = gaps[code].dropna()
            if len(known) >= 2:
                shown.append(f"{code} {known.iat[0]:+.1f} ({known.index[0]}) -> {known.iat[-1]:+.1f} ({known.index[-1]})")
        parts.append(f"{indicator}, distance to the other members' median: {', '.join(shown) or 'too few years'}")
    return "; ".join(parts)
