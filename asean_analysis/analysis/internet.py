"""Internet users (ITU share x WDI population): net new users per day, regional totals with coverage,
and the Mekong members' gap in internet use and fixed broadband.

Users of a country in a year = share of the population using the Internet / 100 x population.
Net new users per day over ``start..end`` = (users in ``end`` - users in ``start``) / (days between),
counting ``DAYS_PER_YEAR`` = 365.25 days per calendar year. A group's change over an interval sums
only the countries with a value at both ends (constant composition); the others are reported as
missing, with the population share they leave uncovered.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import claims, load, regions
from ..choices import GAP_POLICIES, POPULATION_SOURCES
from ..errors import DataError, ParameterError

DAYS_PER_YEAR = 365.25
INTERNET = "itu-internet-users"
BROADBAND = "wdi-broadband-2026-07"
# The DDF file's custom geo codes (shared/data/macro/SOURCES.md, file 9) -> the codes WDI uses.
ITU_CODES = {"KOS": "XKX", "NLD_CURACAO": "CUW"}
# Comparators built from UN M49 (sub-)regions; "South Asia" is M49 Southern Asia (it includes Iran,
# which the World Bank's South Asia does not).
# e-Conomy SEA's coverage (shared/data/digital/SOURCES.md): six members, not all of ASEAN.
SEA6 = ["IDN", "MYS", "PHL", "SGP", "THA", "VNM"]
M49_GROUPS = {"South Asia": "Southern Asia", "Sub-Saharan Africa": "Sub-Saharan Africa",
              "Latin America & Caribbean": "Latin America and the Caribbean"}


def internet_share() -> pd.DataFrame:
    """ITU individuals using the Internet -> iso3, year, share (% of population), countries only."""
    raw = load.read(INTERNET)
    codes = raw["geo"].str.upper().replace(ITU_CODES)
    unknown = sorted(set(codes) - set(regions.classification()["code"]))
    if unknown:
        raise DataError(f"dataset {INTERNET!r} has geo codes outside UN M49 and the listed exceptions: "
                        f"{', '.join(unknown)}; map them in internet.ITU_CODES")
    share = raw["it_net_user_zs"]
    bad = raw[(share < 0) | (share > 100)]
    if len(bad):
        raise DataError(f"dataset {INTERNET!r}: {len(bad)} shares outside 0-100 % (first: {bad.iloc[0].to_dict()}); "
                        "restore the pinned file")
    return pd.DataFrame({"iso3": codes, "year": raw["time"].astype("int64"), "share": share})


def population(vintage: str) -> pd.DataFrame:
    """WDI population of a vintage key of POPULATION_SOURCES -> iso3, year, population (economies only)."""
    if vintage not in POPULATION_SOURCES:
        raise ParameterError(f"unknown population vintage {vintage!r}; pick one of {', '.join(POPULATION_SOURCES)}")
    economies, _ = regions.split_economies(load.wdi(POPULATION_SOURCES[vintage]))
    return economies[["iso3", "year", "value"]].rename(columns={"value": "population"})


def span(share: pd.DataFrame, pop: pd.DataFrame, start: int, end: int, first: int = 2010) -> range:
    """Years to tabulate: from ``first`` (or ``start`` if earlier) to the last year both series reach."""
    last = int(min(share["year"].max(), pop["year"].max()))
    if end <= start:
        raise ParameterError(f"end_year ({end}) must be after start_year ({start})")
    if end > last:
        raise ParameterError(f"end_year {end} is after the last year with internet and population data ({last}); "
                             f"pick an end_year <= {last} or another population_vintage")
    if start < int(share["year"].min()):
        raise ParameterError(f"start_year {start} is before the internet series begins ({share['year'].min()})")
    return range(min(first, start), last + 1)


def fill_gaps(share: pd.DataFrame, years: range, policy: str) -> pd.DataFrame:
    """Shares on every year of ``years`` under a gap policy -> iso3, year, share, filled.

    drop: reported values only; interpolate: linear between the reported years around a gap (never
    beyond the first or last report); carry_forward: the last reported value (also after the last
    report, which implies no change since then). ``filled`` marks values the policy supplied.
    """
    if policy not in GAP_POLICIES:
        raise ParameterError(f"unknown gap_policy {policy!r}; pick one of {', '.join(GAP_POLICIES)}")
    span = range(min(int(share["year"].min()), years.start), max(int(share["year"].max()), years.stop - 1) + 1)
    wide = share.pivot(index="iso3", columns="year", values="share").reindex(columns=list(span))
    if policy == "interpolate":
        done = wide.T.interpolate(method="index", limit_area="inside").T
    elif policy == "carry_forward":
        done = wide.ffill(axis=1)
    else:
        done = wide
    done, wide = done[list(years)], wide[list(years)]
    out = done.stack().rename("share").reset_index().dropna(subset=["share"])
    reported = wide.stack().rename("reported").reset_index()
    out = out.merge(reported, on=["iso3", "year"], how="left")
    out["filled"] = out["reported"].isna()
    return out.drop(columns="reported").sort_values(["iso3", "year"], ignore_index=True)


def users(shares: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """Internet users = share / 100 x population, for country-years with both -> adds population, users."""
    out = shares.merge(pop, on=["iso3", "year"], how="inner")
    out["users"] = out["share"] / 100 * out["population"]
    return out


def groups(asean: list[str]) -> dict[str, list[str]]:
    """The compared markets: ASEAN (the run's members), India, China, three M49 regions and the world."""
    cls = regions.classification()
    out = {"ASEAN": sorted(asean), "India": ["IND"], "China": ["CHN"]}
    for name, subregion in M49_GROUPS.items():
        out[name] = sorted(cls.loc[cls["subregion"] == subregion, "code"])
    out["World"] = sorted(cls["code"])
    return out


def change(table: pd.DataFrame, pop: pd.DataFrame, codes: list[str], start: int, end: int) -> dict:
    """Net change of a group's users from ``start`` to ``end`` over the countries with both ends.

    ``table``: the output of :func:`users`; ``pop``: population of all economies (the coverage base).
    """
    if end <= start:
        raise ParameterError(f"end_year ({end}) must be after start_year ({start})")
    a = table[(table["year"] == start) & table["iso3"].isin(codes)].set_index("iso3")
    b = table[(table["year"] == end) & table["iso3"].isin(codes)].set_index("iso3")
    both = sorted(set(a.index) & set(b.index))
    base = pop[(pop["year"] == end) & pop["iso3"].isin(codes)]
    missing = sorted(set(base["iso3"]) - set(both))
    covered = base.loc[base["iso3"].isin(both), "population"].sum()
    either = a.loc[both, "filled"].to_numpy(dtype=bool) | b.loc[both, "filled"].to_numpy(dtype=bool)
    filled = [c for c, f in zip(both, either) if f]
    u0, u1 = float(a.loc[both, "users"].sum()), float(b.loc[both, "users"].sum())
    days = (end - start) * DAYS_PER_YEAR
    return {
        "start": start, "end": end, "users_start": u0, "users_end": u1,
        "new_per_day": (u1 - u0) / days if both else np.nan,
        "growth_pct": 100 * (u1 / u0 - 1) if u0 > 0 else np.nan,
        "annual_growth_pct": 100 * ((u1 / u0) ** (1 / (end - start)) - 1) if u0 > 0 else np.nan,
        "countries_used": len(both), "countries_total": len(base),
        "coverage_pct": 100 * covered / base["population"].sum() if len(base) else np.nan,
        "filled_used": int(a.loc[both, "filled"].sum() + b.loc[both, "filled"].sum()),
        "filled_pct": 100 * base.loc[base["iso3"].isin(filled), "population"].sum() / base["population"].sum()
        if len(base) else np.nan,
        "missing": ",".join(missing), "filled": ",".join(filled),
    }


def window(table: pd.DataFrame, pop: pd.DataFrame, markets: dict[str, list[str]], start: int, end: int) -> pd.DataFrame:
    """:func:`change` of every market over one window (one row per market)."""
    table, pop = table[table["year"].isin((start, end))], pop[pop["year"] == end]  # the rows change() reads
    return pd.DataFrame([{"market": m, **change(table, pop, codes, start, end)} for m, codes in markets.items()])


def yearly(table: pd.DataFrame, pop: pd.DataFrame, markets: dict[str, list[str]], first: int, last: int) -> pd.DataFrame:
    """Year-on-year :func:`change` of every market for the years ``first+1..last`` (``year`` = the later year)."""
    rows = [window(table, pop, markets, y - 1, y).assign(year=y) for y in range(first + 1, last + 1)]
    return pd.concat(rows, ignore_index=True)


def coverage(table: pd.DataFrame, pop: pd.DataFrame, markets: dict[str, list[str]], years: range) -> pd.DataFrame:
    """Per market and year: countries with a value (reported or filled) and their share of the population
    (``coverage_pct``: reported or filled; ``reported_pct``: reported only)."""
    rows = []
    for market, codes in markets.items():
        for year in years:
            base = pop[(pop["year"] == year) & pop["iso3"].isin(codes)]
            have = table[(table["year"] == year) & table["iso3"].isin(codes)]
            rows.append({"market": market, "year": year, "countries_total": len(base),
                         "countries_reported": int((~have["filled"]).sum()), "countries_filled": int(have["filled"].sum()),
                         "coverage_pct": 100 * have["population"].sum() / base["population"].sum() if len(base) else np.nan,
                         "reported_pct": 100 * have.loc[~have["filled"], "population"].sum() / base["population"].sum()
                         if len(base) else np.nan})
    return pd.DataFrame(rows)


def jumps(share: pd.DataFrame, codes: list[str], years: range, threshold_pp: float = 10.0) -> pd.DataFrame:
    """Reported one-year changes of the share larger than ``threshold_pp`` points (possible series breaks)."""
    s = share[share["iso3"].isin(codes)].sort_values(["iso3", "year"])
    s = s.assign(previous_year=s.groupby("iso3")["year"].shift(), previous=s.groupby("iso3")["share"].shift())
    s = s[(s["year"] - s["previous_year"] == 1) & s["year"].isin(years)]
    s = s.assign(change_pp=s["share"] - s["previous"])
    return s[s["change_pp"].abs() > threshold_pp][["iso3", "year", "previous", "share", "change_pp"]].reset_index(drop=True)


@dataclass(frozen=True)
class Comparison:
    tests: dict[str, bool | None]  # the criteria of NET-2; None where a comparator lacks data
    not_evaluable: dict[str, str]  # market -> why it was left out


def complete(result: pd.DataFrame, market: str = "ASEAN") -> bool:
    """Whether every country of ``market`` has a value at both ends of the window of a :func:`window` table."""
    return result.set_index("market").loc[market, "missing"] == ""


def fastest(result: pd.DataFrame, min_coverage: float) -> Comparison:
    """NET-2 tests from a :func:`window` table: ASEAN ahead of each comparator in new users/day and in % growth.

    A comparator with data for less than ``min_coverage`` % of its population, or without a value, gives
    None tests (not evaluable, listed with the reason): never a yes or a no. The world is compared in % growth only: ASEAN is part of it, so it cannot add
    more users than the world.
    """
    rows = result.set_index("market")
    me = rows.loc["ASEAN"]
    if not complete(result):
        raise DataError(f"ASEAN members {me['missing']} have no value in {me['start']} or {me['end']}; "
                        "pick another window or gap_policy")
    tests, left_out = {}, {}
    for market, row in rows.drop(index="ASEAN").iterrows():
        usable = row["coverage_pct"] >= min_coverage
        if not usable:
            left_out[market] = f"data for {row['coverage_pct']:.0f} % of the population (missing: {row['missing']})"
        readings = ([] if market == "World" else [("more new users per day than", "new_per_day")]) + [
            ("faster % growth of users than", "growth_pct")]
        for words, column in readings:
            known = usable and pd.notna(me[column]) and pd.notna(row[column])
            tests[f"{words} {market}"] = bool(me[column] > row[column]) if known else None
    return Comparison(tests, left_out)


def latest_common_year(values: pd.DataFrame, codes: list[str]) -> int:
    """The latest year in which every country of ``codes`` has a value (columns iso3, year, value)."""
    have = values[values["iso3"].isin(codes)].groupby("year")["iso3"].nunique()
    full = have[have == len(set(codes))]
    if full.empty:
        raise DataError(f"no year has a value for all of {', '.join(sorted(codes))}; drop a member or pick another indicator")
    return int(full.index.max())


def gap(values: pd.DataFrame, members: list[str], named: list[str], indicator: str, year: int | None = None) -> pd.DataFrame:
    """Members ranked on an indicator in ``year`` (default: latest common year), with the median of the
    members not named -> iso3, value, rank, named, others_median, below_others_median, year, indicator."""
    year = latest_common_year(values, members) if year is None else year
    t = values[(values["year"] == year) & values["iso3"].isin(members)][["iso3", "value"]]
    lacking = sorted(set(members) - set(t["iso3"]))
    if lacking:
        raise DataError(f"{indicator}: no value in {year} for {', '.join(lacking)}; pick another year")
    median = t.loc[~t["iso3"].isin(named), "value"].median()
    t = t.sort_values("value", ascending=False, ignore_index=True)
    return t.assign(rank=range(1, len(t) + 1), named=t["iso3"].isin(named), others_median=median,
                    below_others_median=t["value"] < median, year=year, indicator=indicator)


def gap_trend(values: pd.DataFrame, members: list[str], named: list[str], years: range) -> pd.DataFrame:
    """Each named member's value and the median of the other members, per year (reported values only)."""
    t = values[values["iso3"].isin(members) & values["year"].isin(years)]
    others = t[~t["iso3"].isin(named)].groupby("year")["value"].median().rename("others_median")
    wide = t[t["iso3"].isin(named)].pivot(index="year", columns="iso3", values="value")
    return wide.join(others, how="outer").reset_index()


def mekong_tests(tables: list[pd.DataFrame], named: list[str]) -> dict[str, bool | None]:
    """NET-3 tests: each named member below the other members' median, per indicator table of :func:`gap`;
    None for a named country outside the run's member set (not evaluable)."""
    out = {}
    for t in tables:
        below = t.set_index("iso3")["below_others_median"]
        for code in sorted(named):
            out[f"{code} below the other members' median on {t['indicator'].iat[0]} ({t['year'].iat[0]})"] = (
                bool(below[code]) if code in below.index else None)
    return out


def sensitivity(windows: list[tuple[int, int]], policies: list[str], vintages: list[str], asean: list[str],
                min_coverage: float) -> pd.DataFrame:
    """NET-1 and NET-2 under every window x gap policy x population vintage the data cover."""
    registry, share, markets = claims.registry(), internet_share(), groups(asean)
    rows = []
    for vintage in vintages:
        pop = population(vintage)
        for policy in policies:
            for start, end in windows:
                last = min(pop["year"].max(), share["year"].max())
                if end > last:
                    rows.append({"window": f"{start}-{end}", "gap_policy": policy, "population": vintage,
                                 "NET-1": "not_evaluable", "NET-2": "not_evaluable",
                                 "not evaluable": f"all (data end in {last})"})
                    continue
                table = users(fill_gaps(share, range(start, end + 1), policy), pop)
                result = window(table, pop, markets, start, end)
                me = result.set_index("market").loc["ASEAN"]
                row = {"window": f"{start}-{end}", "gap_policy": policy, "population": vintage,
                       "asean_new_per_day": me["new_per_day"], "asean_coverage_pct": me["coverage_pct"]}
                if not complete(result):
                    rows.append({**row, "NET-1": "not_evaluable", "NET-2": "not_evaluable",
                                 "not evaluable": f"ASEAN (missing {me['missing']})"})
                    continue
                comp = fastest(result, min_coverage)
                rows.append({**row, "NET-1": claims.evaluate(registry["NET-1"], me["new_per_day"])["verdict"],
                             "NET-2": claims.evaluate(registry["NET-2"], comp.tests)["verdict"], "NET-2 tests": comp.tests,
                             "NET-2 tests met": f"{sum(v is True for v in comp.tests.values())}/{len(comp.tests)}",
                             "not evaluable": ", ".join(comp.not_evaluable)})
    return pd.DataFrame(rows)


def _datasets(vintage: str, *extra: str) -> list[str]:
    return [INTERNET, POPULATION_SOURCES[vintage], "un-m49", *extra]


def record_new_users(result: pd.DataFrame, by_year: pd.DataFrame, *, policy: str, vintage: str, origin: str,
                     earlier: dict, variants: dict, parameters: dict) -> dict:
    """Record NET-1: ASEAN's net new users per day in the window's last year ("now"), with the window average as
    context; ``earlier`` is the same measure over the period the figure dates from (outdated test), ``variants``
    the last-year rate under other gap policies and population vintages (fragility)."""
    me = result.set_index("market").loc["ASEAN"]
    now = by_year[(by_year["market"] == "ASEAN") & (by_year["year"] == me["end"])]
    if not complete(result) or now.empty or now["missing"].iat[0]:
        return claims.record_not_verifiable(
            "NET-1", "no_data_for_period", evidence="raw_public_data", datasets=_datasets(vintage), parameters=parameters,
            explanation=f"No internet-use value at {me['end'] - 1}, {me['start']} or {me['end']} for every member under "
                        f"gap_policy {policy}: ASEAN's total would be incomplete. {origin}")
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
    return claims.record("NET-1", rate, evidence="raw_public_data", datasets=_datasets(vintage, "digital-transcribed-figures"),
                         explanation=text, parameters=parameters, earlier=earlier, variants=variants,
                         detail={"year": int(me["end"]), "window": f"{me['start']}-{me['end']}", "gap_policy": policy,
                                 "window_average_per_day": me["new_per_day"], "years_in_band": fits})


def record_fastest(result: pd.DataFrame, comparison: Comparison, *, policy: str, vintage: str, note: str,
                   parameters: dict, variants: dict) -> dict:
    """Record NET-2: one test per comparator and reading; a comparator without data gives None tests.
    ``variants``: the tests under other gap policies and population vintages, same window (fragility)."""
    rows = result.set_index("market")
    span = f"{rows.loc['ASEAN', 'start']}-{rows.loc['ASEAN', 'end']}"
    ahead = {m: f"{r['new_per_day']:,.0f}/day, {r['growth_pct']:+.0f} %" for m, r in rows.iterrows() if r["countries_used"]}
    text = (f"Net new internet users a day and growth of users, {span} (gap_policy {policy}): "
            + "; ".join(f"{m} {v}" for m, v in ahead.items())
            + ". The world is compared in % growth only (ASEAN is part of it)."
            + "".join(f" Not evaluable: {m} ({why})." for m, why in comparison.not_evaluable.items()) + f" {note}")
    return claims.record("NET-2", comparison.tests, evidence="raw_public_data", datasets=_datasets(vintage),
                         explanation=text, detail={"window": span, "gap_policy": policy}, parameters=parameters,
                         variants=variants)


def record_mekong(tables: list[pd.DataFrame], named: list[str], parameters: dict) -> dict:
    """Record NET-3 from :func:`gap` tables (internet use, fixed broadband)."""
    ranks = "; ".join(f"{t['indicator'].iat[0]} {t['year'].iat[0]}: " + ", ".join(
        f"{r.iso3} {r.rank}/{len(t)}" for r in t[t["named"]].itertuples()) for t in tables)
    text = (f"Ranks among the members: {ranks}. These indicators measure access (use of the Internet, fixed "
            "broadband subscriptions); digital literacy is claim NET-4.")
    return claims.record("NET-3", mekong_tests(tables, named), evidence="raw_public_data", datasets=[INTERNET, BROADBAND],
                         explanation=text, detail={"ranks": ranks}, parameters=parameters)
