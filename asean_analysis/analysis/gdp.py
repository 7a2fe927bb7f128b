"""ASEAN's GDP rank: the bloc inserted as one economy into the world and Asian rankings."""

from dataclasses import dataclass

import pandas as pd

from .. import regions
from ..errors import DataError
from . import series_sum
from .growth import cagr_pct

BLOC_NAMES = {"ASEAN": "ASEAN (as one economy)", "EUU": "European Union (as one economy)"}


@dataclass(frozen=True)
class Ranking:
    table: pd.DataFrame  # code, name, gdp_usd, region, subregion, is_estimate, world_rank, asia_rank (Asian rows)
    dropped: pd.DataFrame  # aggregate rows removed (iso3, name)
    missing_members: tuple[str, ...]  # members without a value: the ASEAN total is then incomplete


def year_slice(gdp: pd.DataFrame, year: int, source: str) -> pd.DataFrame:
    """The rows of one year, or an error naming the covered years."""
    years = gdp["year"]
    if year not in set(years):
        raise DataError(f"year {year} is not in GDP source {source!r} (covers {years.min()}-{years.max()}); pick a year in that range")
    return gdp[years == year]


def _mode(values: pd.Series) -> str:
    return values.mode().iat[0]


def _blocs(economies: pd.DataFrame, codes: list[str], code: str, by: list[str]) -> pd.DataFrame:
    """Per group of ``by`` (e.g. source and year): the economies of ``codes`` as one row of bloc ``code`` ->
    ``by``, iso3, name, gdp_usd, is_estimate, region, subregion, missing (codes without a row, comma-separated).
    A group without any of ``codes`` gets no row."""
    groups = economies[economies["iso3"].isin(codes)].groupby(by, sort=False)
    out = groups.agg(gdp_usd=("gdp_usd", series_sum),  # the rounding of a sum over one year's rows
                     is_estimate=("is_estimate", "any"), region=("region", _mode), subregion=("subregion", _mode),
                     missing=("iso3", lambda present: ",".join(sorted(set(codes) - set(present)))))
    if code != "ASEAN":
        out["subregion"] = "(several)"
    return out.assign(iso3=code, name=BLOC_NAMES[code]).reset_index()


def _with_bloc(economies: pd.DataFrame, codes: list[str], code: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """One year's economies with those of ``codes`` replaced by the bloc row, and the codes without a row."""
    bloc = _blocs(economies, codes, code, ["year"])
    if bloc.empty:
        raise DataError(f"no member of {BLOC_NAMES[code]} has a GDP value in this year; pick another year or members")
    rest = economies.loc[~economies["iso3"].isin(codes)]
    return pd.concat([rest, bloc.drop(columns="missing")], ignore_index=True), tuple(filter(None, bloc["missing"].iat[0].split(",")))


def rank(gdp: pd.DataFrame, year: int, source: str, *, asean: list[str], eu: list[str] | None,
         asia_definition: str) -> Ranking:
    """Rank economies by GDP in ``year`` with ASEAN (and the EU if ``eu`` is given) as single economies."""
    economies, dropped = regions.split_economies(year_slice(gdp, year, source))
    economies, missing = _with_bloc(economies, asean, "ASEAN")
    if eu is not None:
        economies, _ = _with_bloc(economies, eu, "EUU")
    table = economies.sort_values("gdp_usd", ascending=False, ignore_index=True)
    table["world_rank"] = range(1, len(table) + 1)
    asia = regions.in_asia(table, asia_definition)
    table.loc[asia, "asia_rank"] = range(1, int(asia.sum()) + 1)
    table["asia_rank"] = table["asia_rank"].astype("Int64")
    cols = ["iso3", "name", "gdp_usd", "region", "subregion", "is_estimate", "world_rank", "asia_rank"]
    return Ranking(table[cols], dropped[["iso3", "name"]].drop_duplicates(), missing)


def position(ranking: Ranking, scope: str = "world", code: str = "ASEAN") -> dict:
    """Rank of ``code`` in ``scope`` (world | asia) with its neighbours and the margins to them."""
    column = f"{scope}_rank"
    table = ranking.table.dropna(subset=[column]).sort_values(column, ignore_index=True)
    i = int(table.index[table["iso3"] == code][0])
    me = table.loc[i]
    above = table.loc[i - 1] if i > 0 else None
    below = table.loc[i + 1] if i + 1 < len(table) else None
    return {
        "rank": int(me[column]), "gdp_usd": float(me["gdp_usd"]),
        "above": None if above is None else str(above["name"]),
        "margin_to_above_pct": None if above is None else float(100 * (above["gdp_usd"] / me["gdp_usd"] - 1)),
        "below": None if below is None else str(below["name"]),
        "margin_to_below_pct": None if below is None else float(100 * (me["gdp_usd"] / below["gdp_usd"] - 1)),
    }


def sensitivity(sources: dict[str, pd.DataFrame], years: list[int], *, asean: list[str], eu: list[str],
                asia_definition: str) -> pd.DataFrame:
    """ASEAN's world and Asian rank for every source x year x EU treatment that the data cover.

    ``sources``: GDP frame by source key (``load.gdp``); ``eu``: the EU's members, counted as one economy in half the rows.
    The ranks are those of :func:`rank`, counted at once for every variant: 1 + the economies with a larger GDP (an
    economy with exactly ASEAN's GDP counts as below it)."""
    by, variant = ["source", "year"], ["source", "year", "eu_as_bloc"]
    order = [(source, year, eu_as_bloc) for source, gdp in sources.items() for year in years if year in set(gdp["year"])
             for eu_as_bloc in (False, True)]
    long = pd.concat([gdp[gdp["year"].isin(years)].assign(source=source) for source, gdp in sources.items()],
                     ignore_index=True)
    economies, _ = regions.split_economies(long)
    me = _blocs(economies, asean, "ASEAN", by)
    if not regions.in_asia(me, asia_definition).all():
        raise DataError(f"the members {', '.join(asean)} are not in Asia under asia_definition={asia_definition!r}: "
                        "ASEAN has no Asian rank; pick members in Asia")
    others = economies[~economies["iso3"].isin(asean)]
    rivals = pd.concat([others.assign(eu_as_bloc=False), others[~others["iso3"].isin(eu)].assign(eu_as_bloc=True),
                        _blocs(others, eu, "EUU", by).assign(eu_as_bloc=True)], ignore_index=True)
    rivals = rivals.merge(me[[*by, "gdp_usd"]], on=by, suffixes=("", "_asean"))
    ahead = rivals["gdp_usd"] > rivals["gdp_usd_asean"]
    counts = (rivals.assign(world_rank=ahead, asia_rank=ahead & regions.in_asia(rivals, asia_definition))
              .groupby(variant)[["world_rank", "asia_rank"]].sum())
    table = (pd.DataFrame(order, columns=variant)
             .merge(1 + counts, how="left", left_on=variant, right_index=True)
             .merge(me[[*by, "gdp_usd", "is_estimate", "missing"]], how="left", on=by, validate="many_to_one"))
    if table["gdp_usd"].isna().any():
        lacking = table.loc[table["gdp_usd"].isna(), by].drop_duplicates()
        raise DataError("no ASEAN member has a GDP value in " + ", ".join(f"{s} {y}" for s, y in lacking.itertuples(index=False))
                        + "; pick other years or members")
    table[["world_rank", "asia_rank"]] = table[["world_rank", "asia_rank"]].fillna(1).astype("int64")  # 1: no rival
    table["gdp_usd"] /= 1e12
    return table.rename(columns={"gdp_usd": "asean_gdp_usd_tn", "is_estimate": "includes_estimates",
                                 "missing": "missing_members"})


def variants(table: pd.DataFrame, year: int, scope: str) -> dict[str, int]:
    """ASEAN's rank in ``scope`` (world | asia) under each source and EU treatment of ``year`` (a :func:`sensitivity` table)."""
    same_year = table[table["year"] == year]
    return {f"{r.source}, EU as one economy: {r.eu_as_bloc}": int(getattr(r, f"{scope}_rank")) for r in same_year.itertuples()}


@dataclass(frozen=True)
class Spread:
    """How ASEAN's rank in one year varies across the sources and EU treatments of a :func:`sensitivity` table."""
    year: int
    world_ranks: tuple[int, ...]
    asia_ranks: tuple[int, ...]
    sources: int
    asean_gdp_usd_tn: dict  # source -> ASEAN's GDP in ``year`` (US$ tn)
    differing: tuple[str, ...]  # "source year: world/asia" wherever a rank differs from the asserted ones (any year)


def spread(table: pd.DataFrame, year: int, asserted_world: int, asserted_asia: int) -> Spread:
    """The ranks of ``year`` across sources and EU treatments, and every source-year whose ranks differ from the asserted."""
    same_year = table[table["year"] == year]
    other = table[(table["world_rank"] != asserted_world) | (table["asia_rank"] != asserted_asia)]
    return Spread(year=year, world_ranks=tuple(sorted(set(same_year["world_rank"]))),
                  asia_ranks=tuple(sorted(set(same_year["asia_rank"]))), sources=int(same_year["source"].nunique()),
                  asean_gdp_usd_tn=same_year.drop_duplicates("source").set_index("source")["asean_gdp_usd_tn"].to_dict(),
                  differing=tuple(sorted({f"{r.source} {r.year}: {r.world_rank}/{r.asia_rank}" for r in other.itertuples()})))


def per_head(gdp: pd.DataFrame, population: pd.DataFrame, year: int, codes: list[str]) -> pd.DataFrame:
    """GDP per head (US$) of ``codes`` in ``year``; an error names members without data."""
    g = gdp[(gdp["year"] == year) & gdp["iso3"].isin(codes)].set_index("iso3")["gdp_usd"]
    p = population[(population["year"] == year) & population["iso3"].isin(codes)].set_index("iso3")["value"]
    lacking = sorted(set(codes) - (set(g.index) & set(p.index)))
    if lacking:
        raise DataError(f"no GDP or population in {year} for {', '.join(lacking)}; pick another year")
    out = pd.DataFrame({"gdp_usd": g, "population": p}).loc[sorted(codes)]
    out["gdp_per_head_usd"] = out["gdp_usd"] / out["population"]
    return out.sort_values("gdp_per_head_usd", ascending=False).rename_axis("iso3").reset_index()


def below_median(table: pd.DataFrame, named: list[str]) -> dict[str, bool | None]:
    """For each named member: is its GDP per head below the members' median? None where it has no value."""
    median = table["gdp_per_head_usd"].median()
    values = table.set_index("iso3")["gdp_per_head_usd"]
    return {f"{code} below the ASEAN median GDP per head":
            bool(values[code] < median) if code in values.index and pd.notna(values[code]) else None for code in named}


def ranks_of(table: pd.DataFrame, named: list[str]) -> dict[str, int]:
    """1-based rank of each named member in a :func:`per_head` table (richest first); members without a row are left out."""
    order = list(table["iso3"])
    return {code: order.index(code) + 1 for code in named if code in order}


def nominal_growth(gdp: pd.DataFrame, codes: list[str], end_year: int) -> dict:
    """Context for a growth claim: CAGR of the members' summed nominal GDP (current US$) and of the world's, from the
    first year every member has a value to ``end_year``. Nominal US$ growth mixes inflation and exchange rates.
    Empty when the source lacks two complete years for the members; the world's rate is None when the source has
    no world total (the IMF extracts)."""
    wide = gdp[gdp["iso3"].isin([*codes, "WLD"])].pivot_table(index="year", columns="iso3", values="gdp_usd")
    if set(codes) - set(wide.columns):
        return {}
    complete = wide.dropna(subset=codes)
    complete = complete[complete.index <= end_year]
    if len(complete) < 2:
        return {}
    start, end = int(complete.index.min()), int(complete.index.max())
    asean = complete[codes].sum(axis=1)
    world = (cagr_pct(complete.loc[start, "WLD"], complete.loc[end, "WLD"], end - start)
             if "WLD" in complete.columns and complete["WLD"].notna()[[start, end]].all() else None)
    return {"start_year": start, "end_year": end,
            "asean_nominal_cagr_pct": cagr_pct(asean[start], asean[end], end - start), "world_nominal_cagr_pct": world}
