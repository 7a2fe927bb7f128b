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

from .. import load, regions
from ..choices import GAP_POLICIES, POPULATION_SOURCES
from ..errors import DataError, ParameterError
from ..members import SEA6
from . import series_sum

DAYS_PER_YEAR = 365.25
INTERNET = "itu-internet-users"
BROADBAND = "wdi-broadband-2026-07"
# The DDF file's custom geo codes (shared/data/macro/SOURCES.md, file 9) -> the codes WDI uses.
ITU_CODES = {"KOS": "XKX", "NLD_CURACAO": "CUW"}
# Comparators built from UN M49 (sub-)regions; "South Asia" is M49 Southern Asia (it includes Iran,
# which the World Bank's South Asia does not).
# e-Conomy SEA's coverage (shared/data/digital/SOURCES.md): six members, not all of ASEAN.
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


def changes(table: pd.DataFrame, pop: pd.DataFrame, markets: dict[str, list[str]],
            spans: list[tuple[int, int]]) -> pd.DataFrame:
    """Net change of each market's users over each window ``(start, end)`` of ``spans``, over the countries with a
    value at both ends -> one row per window and market (in the order of ``spans``, then ``markets``).

    ``table``: the output of :func:`users`; ``pop``: population of all economies (the coverage base, the market's
    countries with a population in ``end``). Users are summed in country-code order, populations in ``pop``'s order."""
    for start, end in spans:
        if end <= start:
            raise ParameterError(f"end_year ({end}) must be after start_year ({start})")
    keys = ["start", "end", "market"]
    order = pd.DataFrame([(start, end, m) for start, end in spans for m in markets], columns=keys)
    member = pd.DataFrame([(m, c) for m, codes in markets.items() for c in dict.fromkeys(codes)], columns=["market", "iso3"])
    ends = order[["start", "end"]].drop_duplicates()
    values = table[["iso3", "year", "users", "filled"]]
    both = (ends.merge(values, left_on="start", right_on="year").drop(columns="year")
            .merge(ends.merge(values, left_on="end", right_on="year").drop(columns="year"),
                   on=["start", "end", "iso3"], suffixes=("_start", "_end"))
            .merge(member, on="iso3").sort_values([*keys, "iso3"]))
    both["filled"] = both["filled_start"] | both["filled_end"]
    base = (ends.merge(pop[["iso3", "year", "population"]].assign(position=range(len(pop))), left_on="end", right_on="year")
            .merge(member, on="iso3").merge(both[[*keys, "iso3", "filled"]], how="left", on=[*keys, "iso3"], indicator=True)
            .sort_values([*keys, "position"]))
    used, filled = base["_merge"] == "both", base["filled"].eq(True)
    sums = [
        both.groupby(keys).agg(users_start=("users_start", series_sum), users_end=("users_end", series_sum),
                               countries_used=("iso3", "size"), filled_start=("filled_start", "sum"),
                               filled_end=("filled_end", "sum")),
        both[both["filled"]].groupby(keys).agg(filled=("iso3", ",".join)),
        base.groupby(keys).agg(countries_total=("iso3", "size"), base_population=("population", series_sum)),
        base[used].groupby(keys).agg(covered=("population", series_sum)),
        base[~used].groupby(keys).agg(missing=("iso3", lambda codes: ",".join(sorted(codes)))),
        base[filled].groupby(keys).agg(filled_population=("population", series_sum)),
    ]
    out = order.join(pd.concat(sums, axis=1), on=keys)
    counts = ["countries_used", "countries_total", "filled_start", "filled_end"]
    out[counts] = out[counts].fillna(0).astype("int64")
    out = out.fillna({"users_start": 0.0, "users_end": 0.0, "covered": 0.0, "filled_population": 0.0,
                      "missing": "", "filled": ""})
    u0, u1, years, total = out["users_start"], out["users_end"], out["end"] - out["start"], out["base_population"]
    grew = u0 > 0
    return pd.DataFrame({
        "market": out["market"], "start": out["start"], "end": out["end"], "users_start": u0, "users_end": u1,
        "new_per_day": ((u1 - u0) / (years * DAYS_PER_YEAR)).where(out["countries_used"] > 0),
        "growth_pct": (100 * (u1 / u0 - 1)).where(grew),
        # Python's float power, as for one window at a time (numpy's may round differently)
        "annual_growth_pct": [100 * ((b / a) ** (1 / n) - 1) if a > 0 else np.nan for a, b, n in zip(u0, u1, years)],
        "countries_used": out["countries_used"], "countries_total": out["countries_total"],
        "coverage_pct": (100 * out["covered"] / total).where(out["countries_total"] > 0),
        "filled_used": out["filled_start"] + out["filled_end"],
        "filled_pct": (100 * out["filled_population"] / total).where(out["countries_total"] > 0),
        "missing": out["missing"], "filled": out["filled"],
    })


def window(table: pd.DataFrame, pop: pd.DataFrame, markets: dict[str, list[str]], start: int, end: int) -> pd.DataFrame:
    """:func:`changes` of every market over one window (one row per market)."""
    return changes(table, pop, markets, [(start, end)])


def yearly(table: pd.DataFrame, pop: pd.DataFrame, markets: dict[str, list[str]], first: int, last: int) -> pd.DataFrame:
    """Year-on-year :func:`changes` of every market for the years ``first+1..last`` (``year`` = the later year)."""
    out = changes(table, pop, markets, [(y - 1, y) for y in range(first + 1, last + 1)])
    return out.assign(year=out["end"])


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


def _by_window(share: pd.DataFrame, pop: pd.DataFrame, policy: str, markets: dict[str, list[str]],
               spans: list[tuple[int, int]]) -> dict[tuple[int, int], pd.DataFrame]:
    """:func:`window` of each of ``spans``, all from one gap-filled table (a year's filled value does not depend on
    the other years filled with it)."""
    if not spans:
        return {}
    years = range(min(start for start, _ in spans), max(end for _, end in spans) + 1)
    result = changes(users(fill_gaps(share, years, policy), pop), pop, markets, spans)
    return {(start, end): part.reset_index(drop=True) for (start, end), part in result.groupby(["start", "end"])}


def sensitivity(share: pd.DataFrame, pops: dict[str, pd.DataFrame], windows: list[tuple[int, int]],
                policies: list[str], asean: list[str], min_coverage: float) -> pd.DataFrame:
    """ASEAN's net new users a day and the NET-2 tests under every window x gap policy x population vintage.

    ``share``: :func:`internet_share`; ``pops``: :func:`population` by vintage key. ``evaluable`` is False where the
    data end before the window or an ASEAN member lacks a value at its ends (``not evaluable`` says which)."""
    markets, rows = groups(asean), []
    for vintage, pop in pops.items():
        last = min(pop["year"].max(), share["year"].max())
        for policy in policies:
            results = _by_window(share, pop, policy, markets, [w for w in windows if w[1] <= last])
            for start, end in windows:
                row = {"window": f"{start}-{end}", "gap_policy": policy, "population": vintage}
                if end > last:
                    rows.append({**row, "evaluable": False, "not evaluable": f"all (data end in {last})"})
                    continue
                result = results[start, end]
                me = result.set_index("market").loc["ASEAN"]
                row.update(asean_new_per_day=me["new_per_day"], asean_coverage_pct=me["coverage_pct"])
                if not complete(result):
                    rows.append({**row, "evaluable": False, "not evaluable": f"ASEAN (missing {me['missing']})"})
                    continue
                comp = fastest(result, min_coverage)
                rows.append({**row, "evaluable": True, "NET-2 tests": comp.tests,
                             "NET-2 tests met": f"{sum(v is True for v in comp.tests.values())}/{len(comp.tests)}",
                             "not evaluable": ", ".join(comp.not_evaluable)})
    return pd.DataFrame(rows)


def filled_at_ends(table: pd.DataFrame, markets: dict[str, list[str]], start: int, end: int) -> pd.DataFrame:
    """Per market: how many values the gap policy filled at the window's two ends, and the first five countries."""
    ends = table[table["year"].isin([start, end]) & table["filled"]]
    return pd.DataFrame([{"market": m, "filled values at the window's ends": int(ends["iso3"].isin(c).sum()),
                          "countries (first five)": ", ".join(sorted(set(ends.loc[ends["iso3"].isin(c), "iso3"]))[:5])}
                         for m, c in markets.items()])


def coverage_table(cover: pd.DataFrame, markets: list[str], years: list[int], policy: str) -> pd.DataFrame:
    """A :func:`coverage` frame side by side: % of population with a reported value, and with a value after ``policy``."""
    return pd.concat({what: cover.pivot(index="market", columns="year", values=column).loc[markets, years]
                      for what, column in (("% of population with a reported value", "reported_pct"),
                                           (f"% with a value after gap_policy={policy}", "coverage_pct"))}, axis=1)


@dataclass(frozen=True)
class Origin:
    """The cited projection behind "125,000 a day" next to what the data show for the same countries and period."""
    monthly_m: float  # e-Conomy SEA 2016: million new users a month, six members, 2015-2020
    implied_per_day: float  # the same, per day
    sea6_per_day: float  # realised 2015-2020, the six members
    asean_per_day: float  # realised 2015-2020, ASEAN
    users: pd.DataFrame  # cited user counts next to ITU x WDI users of the six (million): year, cited_m, itu_wdi_sea6_m, publisher


def origin(cited: pd.DataFrame, table: pd.DataFrame, pop: pd.DataFrame, asean: list[str], start: int = 2015,
           end: int = 2020) -> Origin:
    """Compare the transcribed figures of the claim (``cited``: rows of ``digital-transcribed-figures``, as strings) with
    the data (``table``: :func:`users`) for SEA-6 and ASEAN over the projection's period."""
    monthly = float(cited.loc[cited["unit"] == "million per month", "value"].iat[0])
    realised = window(table, pop, {"ASEAN": asean, "SEA-6": SEA6}, start, end).set_index("market")["new_per_day"]
    sea6_users = table[table["iso3"].isin(SEA6)].groupby("year")["users"].sum() / 1e6
    counts = cited[cited["unit"].str.startswith("million") & (cited["metric"] == "internet users")].assign(
        year=lambda t: t["year"].astype(int), cited_m=lambda t: t["value"].astype(float))
    counts = counts.assign(itu_wdi_sea6_m=counts["year"].map(sea6_users).round(0))
    return Origin(monthly_m=monthly, implied_per_day=monthly * 1e6 * 12 / DAYS_PER_YEAR,
                  sea6_per_day=float(realised["SEA-6"]), asean_per_day=float(realised["ASEAN"]),
                  users=counts[["year", "cited_m", "itu_wdi_sea6_m", "publisher"]].reset_index(drop=True))


def ahead_of(result: pd.DataFrame, column: str, market: str = "ASEAN") -> list[str]:
    """Markets with data whose ``column`` (new_per_day | growth_pct) exceeds ``market``'s in a :func:`window` table."""
    rows = result.set_index("market")
    mine = rows.loc[market, column]
    return [m for m in rows.index.drop(market) if rows.at[m, "countries_used"] and rows.at[m, column] > mine]
