"""The corridor's premises: Brunei's gas, Laos' hydropower and Cambodia's young, low-wage workforce.

Our World in Data files name countries in English ("Laos", "Vietnam", "Timor"); :func:`members_of`
maps them to ISO3 through an explicit table and reports the members a file does not cover.
"""

from dataclasses import dataclass

import pandas as pd

from ..errors import DataError, ParameterError

OWID_ISO3 = {
    "Brunei": "BRN", "Cambodia": "KHM", "Indonesia": "IDN", "Laos": "LAO", "Malaysia": "MYS", "Myanmar": "MMR",
    "Philippines": "PHL", "Singapore": "SGP", "Thailand": "THA", "Vietnam": "VNM", "Timor": "TLS",
}
GAS = {"reserves_tcm": "Gas - Proved reserves", "production_bcm": "Gas Production - Bcm",
       "production_twh": "Gas Production - TWh", "consumption_twh": "Gas Consumption - TWh"}
MIX = {"hydro_share_pct": "Hydro (% electricity)", "net_imports_twh": "Net imports (TWh)",
       "generation_twh": "Electricity generation (TWh)", "demand_twh": "Electricity demand (TWh)"}
AGE_BANDS = ["0-4 years", "5-14 years", "15-24 years", "25-64 years", "65+"]


@dataclass(frozen=True)
class Matched:
    table: pd.DataFrame  # the file's rows for the members, with an iso3 column
    missing: tuple[str, ...]  # members with no row (name absent from the file or no value)


def members_of(frame: pd.DataFrame, column: str, codes: list[str], dataset: str) -> Matched:
    """Rows of ``frame`` whose English name in ``column`` maps to one of ``codes``; members not found are listed."""
    unmapped = sorted(set(codes) - set(OWID_ISO3.values()))
    if unmapped:
        raise DataError(f"dataset {dataset!r}: no English name known for {', '.join(unmapped)}; add it to energy.OWID_ISO3")
    out = frame.assign(iso3=frame[column].map(OWID_ISO3))
    out = out[out["iso3"].isin(codes)].reset_index(drop=True)
    return Matched(out, tuple(sorted(set(codes) - set(out["iso3"]))))


def rank_of(values: pd.Series, key, *, largest_first: bool = True) -> int:
    """1-based rank of ``values[key]`` among ``values`` (ties share the best rank)."""
    return int(values.rank(ascending=not largest_first, method="min")[key])


def _year(frame: pd.DataFrame, year: int, what: str, column: str = "Year") -> pd.DataFrame:
    if year not in set(frame[column]):
        raise ParameterError(f"{what} has no year {year} (covers {frame[column].min()}-{frame[column].max()}); pick a year in that range")
    return frame[frame[column] == year]


# ---------------------------------------------------------------- Brunei's gas (EN-1)

def gas_table(raw: pd.DataFrame, year: int, codes: list[str], population: pd.DataFrame) -> Matched:
    """Members' proved gas reserves, production and consumption in ``year`` (``raw``: bp 2021), per head and as
    world share, most reserves per head first.

    ``population`` is a WDI frame (iso3, year, value). Members without reserves are listed in ``missing``.
    """
    last = int(raw.loc[raw[GAS["reserves_tcm"]].notna(), "Year"].max())
    if year > last:
        raise ParameterError(f"gas_year={year}: the bp Statistical Review 2021 reports proved reserves only to {last} "
                             "(its last edition with reserves); pick gas_year <= " + str(last))
    rows = _year(raw, year, "bp-statistical-review-2021")
    world = rows.loc[rows["Entity"] == "World", GAS["reserves_tcm"]]
    if world.empty or world.isna().all():
        raise DataError(f"bp-statistical-review-2021 has no World reserves in {year}; restore the pinned file")
    found = members_of(rows, "Entity", codes, "bp-statistical-review-2021")
    table = found.table[["iso3", "Entity", *GAS.values()]].rename(columns={v: k for k, v in GAS.items()})
    table = table.dropna(subset=["reserves_tcm"])
    pop = population[population["year"] == year].set_index("iso3")["value"]
    table["population"] = table["iso3"].map(pop)
    if table["population"].isna().any():
        lacking = ", ".join(table.loc[table["population"].isna(), "iso3"])
        raise DataError(f"no population in {year} for {lacking}; pick another gas_year")
    table["reserves_m3_per_head"] = table["reserves_tcm"] * 1e12 / table["population"]
    table["world_share_pct"] = 100 * table["reserves_tcm"] / float(world.iat[0])
    table["reserves_to_production_years"] = table["reserves_tcm"] * 1e3 / table["production_bcm"]
    table["production_to_consumption"] = table["production_twh"] / table["consumption_twh"]
    table = table.sort_values("reserves_m3_per_head", ascending=False, ignore_index=True)
    return Matched(table, tuple(sorted(set(codes) - set(table["iso3"]))))


def gas_surplus(extract: pd.DataFrame, country: str = "Brunei") -> pd.DataFrame:
    """Gas production against total primary energy use (TWh) by year, from the current OWID vintage.

    Domestic gas use cannot exceed total primary energy use, so production above it is an exportable
    surplus whatever the fuel mix (a lower bound on the surplus). Years lacking either value stay, with no surplus.
    """
    rows = extract[extract["country"] == country]
    if rows.empty:
        raise DataError(f"owid-energy-extract-brunei-laos has no rows for {country!r}; it holds Brunei and Laos only")
    out = rows[["year", "gas_production", "primary_energy_consumption"]].rename(
        columns={"gas_production": "gas_production_twh", "primary_energy_consumption": "primary_energy_twh"})
    out = out.reset_index(drop=True)
    out["surplus_twh"] = out["gas_production_twh"] - out["primary_energy_twh"]
    out["production_to_primary_energy"] = out["gas_production_twh"] / out["primary_energy_twh"]
    return out


def gas_criteria(table: pd.DataFrame, surplus: pd.DataFrame, year: int, code: str = "BRN") -> dict[str, bool | None]:
    """The named tests of 'vast reserves' for supplying others: absolute size, reserves-to-production ratio
    (each against the members' median) and production above all domestic energy use (an exportable surplus)."""
    if code not in set(table["iso3"]):
        raise DataError(f"{code} has no proved reserves in the table; the test needs it")
    known = surplus.dropna(subset=["surplus_twh"])
    if year not in set(known["year"]):
        raise ParameterError(f"recent_year={year}: gas production and primary energy are both known only in "
                             f"{', '.join(map(str, known['year']))}; pick one of them")
    me = table.set_index("iso3").loc[code]
    s = surplus.set_index("year").loc[year]
    rp = table["reserves_to_production_years"].dropna()
    return {
        f"{code}'s proved gas reserves (absolute) are above the members' median": bool(me["reserves_tcm"] > table["reserves_tcm"].median()),
        f"{code}'s reserves-to-production ratio is above the members' median": (
            None if pd.isna(me["reserves_to_production_years"]) else bool(me["reserves_to_production_years"] > rp.median())),
        f"{code}'s gas production exceeds its total primary energy use in {year}": bool(s["surplus_twh"] > 0),
    }


@dataclass(frozen=True)
class GasFacts:
    """What the EN-1 reading states about one member's gas, computed from :func:`gas_table` and :func:`gas_surplus`."""
    code: str
    year: int
    recent_year: int
    reserves_tcm: float
    world_share_pct: float
    reserves_m3_per_head: float
    reserves_to_production_years: float
    rank_per_head: int
    rank_absolute: int
    members_with_data: int
    members_median_reserves_tcm: float
    members_median_rp_years: float
    gas_production_twh: float  # in recent_year (current OWID vintage)
    primary_energy_twh: float
    production_to_primary_energy: float
    years_with_surplus: int  # years in which production exceeded all primary energy use
    years_known: int  # years with both values
    vintage_difference_twh: float | None  # production in ``year``: current OWID minus bp 2021 (None: not in both)


def gas_facts(table: pd.DataFrame, surplus: pd.DataFrame, year: int, recent_year: int, code: str = "BRN") -> GasFacts:
    """The numbers the EN-1 record and reading state (``table``: :func:`gas_table`; ``surplus``: :func:`gas_surplus`)."""
    me = table.set_index("iso3").loc[code]
    by_year = surplus.set_index("year")
    recent = by_year.loc[recent_year]
    known = surplus.dropna(subset=["surplus_twh"])
    old = by_year["gas_production_twh"].get(year)
    return GasFacts(
        code=code, year=year, recent_year=recent_year, reserves_tcm=float(me["reserves_tcm"]),
        world_share_pct=float(me["world_share_pct"]), reserves_m3_per_head=float(me["reserves_m3_per_head"]),
        reserves_to_production_years=float(me["reserves_to_production_years"]),
        rank_per_head=rank_of(table.set_index("iso3")["reserves_m3_per_head"], code),
        rank_absolute=rank_of(table.set_index("iso3")["reserves_tcm"], code), members_with_data=len(table),
        members_median_reserves_tcm=float(table["reserves_tcm"].median()),
        members_median_rp_years=float(table["reserves_to_production_years"].median()),
        gas_production_twh=float(recent["gas_production_twh"]), primary_energy_twh=float(recent["primary_energy_twh"]),
        production_to_primary_energy=float(recent["production_to_primary_energy"]),
        years_with_surplus=int((known["surplus_twh"] > 0).sum()), years_known=len(known),
        vintage_difference_twh=None if old is None or pd.isna(old) else float(old - me["production_twh"]))


# ---------------------------------------------------------------- Laos' hydropower (EN-2)

def electricity_mix(raw: pd.DataFrame, year: int, codes: list[str]) -> Matched:
    """Members' hydro share and net imports of electricity in ``year`` (``raw``: OWID 2022 vintage of bp and Ember data)."""
    found = members_of(_year(raw, year, "owid-electricity-mix-2022"), "Country", codes, "owid-electricity-mix-2022")
    table = found.table[["iso3", "Country", *MIX.values()]].rename(columns={v: k for k, v in MIX.items()})
    table = table.dropna(subset=["hydro_share_pct"]).sort_values("hydro_share_pct", ascending=False, ignore_index=True)
    return Matched(table, tuple(sorted(set(codes) - set(table["iso3"]))))


def vintages(mix_2022: pd.DataFrame, extract: pd.DataFrame, country: str = "Laos") -> pd.DataFrame:
    """One country's hydro share and net imports by year in both OWID vintages, with their differences."""
    old = mix_2022.loc[mix_2022["Country"] == country, ["Year", MIX["hydro_share_pct"], MIX["net_imports_twh"]]]
    old.columns = ["year", "hydro_share_pct_2022", "net_imports_twh_2022"]
    new = extract.loc[extract["country"] == country, ["year", "hydro_share_elec", "net_elec_imports"]]
    new.columns = ["year", "hydro_share_pct_current", "net_imports_twh_current"]
    if old.empty or new.empty:
        raise DataError(f"{country!r} is missing from one of the vintages (2022 grapher file: {len(old)} rows, current extract: {len(new)} rows)")
    out = old.merge(new, on="year", how="outer").sort_values("year", ignore_index=True)
    out["hydro_share_difference"] = out["hydro_share_pct_current"] - out["hydro_share_pct_2022"]
    out["net_imports_difference"] = out["net_imports_twh_current"] - out["net_imports_twh_2022"]
    return out


def hydro_criteria(mix: pd.DataFrame, series: pd.DataFrame, year: int, recent_year: int, code: str = "LAO") -> dict[str, bool]:
    """The named tests of 'extensive hydropower': highest hydro share, largest net exporter, exporter in the recent year."""
    if code not in set(mix["iso3"]):
        raise DataError(f"{code} has no electricity mix in {year}; the test needs it")
    recent = series.loc[series["year"] == recent_year, "net_imports_twh_current"].dropna()
    if recent.empty:
        raise ParameterError(f"recent_year={recent_year} is not in the current vintage's net imports "
                             f"({', '.join(map(str, series['year'][series['net_imports_twh_current'].notna()]))})")
    exports = mix.set_index("iso3")["net_imports_twh"]
    return {
        f"{code} has the highest hydro share of electricity among members in {year}": bool(mix["iso3"].iat[0] == code),
        f"{code} has the largest net electricity exports among members in {year}": bool(exports.idxmin() == code and exports.min() < 0),
        f"{code} is a net electricity exporter in {recent_year} (current vintage)": bool(recent.iat[0] < 0),
    }


@dataclass(frozen=True)
class HydroFacts:
    """What the EN-2 reading states, computed from :func:`electricity_mix` and :func:`vintages`."""
    code: str
    year: int
    recent_year: int
    hydro_share_pct: float
    next_member: str  # the member with the highest hydro share after ``code``
    next_hydro_share_pct: float
    net_imports_twh: float
    largest_exporter: str  # the member with the lowest net imports
    recent_hydro_share_pct: float
    recent_net_imports_twh: float
    share_differences: dict  # year -> hydro share points, current minus 2022 vintage, where both exist
    largest_difference_year: int


def hydro_facts(mix: pd.DataFrame, series: pd.DataFrame, year: int, recent_year: int, code: str = "LAO") -> HydroFacts:
    """The numbers the EN-2 record and reading state."""
    me = mix.set_index("iso3").loc[code]
    others = mix[mix["iso3"] != code].sort_values("hydro_share_pct", ascending=False)
    recent = series.set_index("year").loc[recent_year]
    both = series.dropna(subset=["hydro_share_pct_2022", "hydro_share_pct_current"])
    differences = {int(y): float(d) for y, d in zip(both["year"], both["hydro_share_difference"])}
    return HydroFacts(
        code=code, year=year, recent_year=recent_year, hydro_share_pct=float(me["hydro_share_pct"]),
        next_member=str(others["Country"].iat[0]), next_hydro_share_pct=float(others["hydro_share_pct"].iat[0]),
        net_imports_twh=float(me["net_imports_twh"]),
        largest_exporter=str(mix.loc[mix["net_imports_twh"].idxmin(), "Country"]),
        recent_hydro_share_pct=float(recent["hydro_share_pct_current"]),
        recent_net_imports_twh=float(recent["net_imports_twh_current"]), share_differences=differences,
        largest_difference_year=max(differences, key=lambda y: abs(differences[y])))


# ---------------------------------------------------------------- Cambodia's workforce (EN-3)

def median_age(raw: pd.DataFrame, year: int, codes: list[str]) -> Matched:
    """Members' median age in ``year`` (``raw``: UN WPP 2022 estimates via OWID), youngest first."""
    rows = _year(raw, year, "owid-median-age-wpp2022")
    found = members_of(rows, "Country", codes, "owid-median-age-wpp2022")
    wrong = found.table[found.table["Code"] != found.table["iso3"]]
    if len(wrong):
        raise DataError(f"owid-median-age-wpp2022: names and codes disagree for {', '.join(wrong['Country'])}")
    table = found.table.rename(columns={"Median age": "median_age"})[["iso3", "Country", "median_age"]]
    return Matched(table.sort_values("median_age", ignore_index=True), found.missing)


def age_structure(raw: pd.DataFrame, codes: list[str]) -> Matched:
    """Members' population shares (%) by broad age band, 2021 (``raw``: UN WPP 2022 via OWID), with the under-25 share."""
    found = members_of(raw, "Country", codes, "owid-population-age-groups-wpp2022")
    table = found.table.set_index("iso3")
    shares = table[AGE_BANDS].div(table["Total"], axis=0) * 100
    gap = (table[AGE_BANDS].sum(axis=1) - table["Total"]).abs() / table["Total"]
    if (gap > 0.001).any():
        raise DataError(f"owid-population-age-groups-wpp2022: age bands do not add up to the total for {', '.join(gap[gap > 0.001].index)}")
    shares["under_25"] = shares[["0-4 years", "5-14 years", "15-24 years"]].sum(axis=1)
    out = shares.sort_values("under_25", ascending=False).reset_index()
    return Matched(out, found.missing)


def wages_usd(table: pd.DataFrame, year: int, days_per_month: int) -> pd.DataFrame:
    """Minimum wages of ``year`` in US$ per month: daily rates x ``days_per_month``, converted at every sourced rate.

    ``table`` is ``data/reference/wages.csv``; ``usd_low``/``usd_high`` convert at the weakest/strongest
    local currency sourced for that year (a single rate gives equal bounds).
    """
    if not 1 <= days_per_month <= 31:
        raise ParameterError(f"days_per_month={days_per_month} is not a number of days in a month")
    t = table[table["year"].astype(int) == year].assign(value=lambda f: f["value"].astype(float))
    fx = t[t["id"].str.startswith("FX-")].assign(currency=lambda f: f["unit"].str.split().str[0])
    rates = fx.groupby("currency")["value"].agg(["min", "max"])
    w = t[t["id"].str.startswith("WAGE-")].copy()
    if w.empty:
        raise DataError(f"data/reference/wages.csv has no minimum wage for {year}; pick a year it covers")
    w["currency"] = w["unit"].str.split().str[0]
    per = w["unit"].str.split().str[-1]
    unknown = sorted(set(per) - {"month", "day"})
    if unknown:
        raise DataError(f"data/reference/wages.csv: unit per {unknown} cannot be converted to a month; use 'per month' or 'per day'")
    lacking = sorted(set(w["currency"]) - set(rates.index) - {"USD"})
    if lacking:
        raise DataError(f"data/reference/wages.csv has no {year} exchange rate for {', '.join(lacking)}; add an FX- row with its citation")
    monthly = w["value"] * per.map({"month": 1, "day": days_per_month})
    weak = w["currency"].map(rates["max"]).fillna(1.0)
    strong = w["currency"].map(rates["min"]).fillna(1.0)
    w["local_per_month"] = monthly
    w["usd_low"], w["usd_high"] = monthly / weak, monthly / strong
    return w[["id", "iso3", "geography", "metric", "value", "unit", "local_per_month", "usd_low", "usd_high", "confidence"]].reset_index(drop=True)


def wage_floor_tests(wages: pd.DataFrame, code: str = "KHM") -> dict[str, bool]:
    """Is ``code``'s minimum wage below each other member's lowest converted minimum (US$ per month)?"""
    mine = wages.loc[wages["iso3"] == code, "usd_high"]
    if mine.empty:
        raise DataError(f"no minimum wage for {code} in the wage table")
    floors = wages[wages["iso3"] != code].groupby("iso3")["usd_low"].min()
    return {f"{code}'s minimum wage is below {other}'s lowest minimum wage (US$ per month)": bool(mine.max() < floor)
            for other, floor in floors.items()}


def workforce_criteria(ages: pd.DataFrame, structure: pd.DataFrame, wages: pd.DataFrame, year: int,
                       code: str = "KHM") -> dict[str, bool]:
    """The named tests of 'young, cost-competitive': median age, under-25 share, wage floors."""
    age = ages.set_index("iso3")["median_age"]
    young = structure.set_index("iso3")["under_25"]
    if code not in age.index or code not in young.index:
        raise DataError(f"{code} lacks a median age or an age structure; the test needs both")
    return {
        f"{code}'s median age in {year} is below the members' median": bool(age[code] < age.median()),
        f"{code}'s share of people under 25 is above the members' median": bool(young[code] > young.median()),
        **wage_floor_tests(wages, code),
    }


@dataclass(frozen=True)
class WorkforceFacts:
    """What the EN-3 reading states, computed from :func:`median_age`, :func:`age_structure` and :func:`wages_usd`."""
    code: str
    median_age: float
    members_median_age: float
    youngest_rank: int
    members_with_age: int
    under_25_pct: float
    members_median_under_25_pct: float
    wage_usd_month: float  # the member's minimum at the strongest sourced rate (its most US dollars)
    floors_usd_month: dict  # other member -> its lowest minimum at the weakest sourced rate
    ceilings_usd_month: dict  # other member -> its highest minimum at the strongest sourced rate
    wage_members: tuple[str, ...]  # members with a sourced minimum wage


def workforce_facts(ages: pd.DataFrame, structure: pd.DataFrame, wages: pd.DataFrame, code: str = "KHM") -> WorkforceFacts:
    """The numbers the EN-3 record and reading state."""
    age = ages.set_index("iso3")["median_age"]
    young = structure.set_index("iso3")["under_25"]
    others = wages[wages["iso3"] != code].groupby("iso3")
    return WorkforceFacts(
        code=code, median_age=float(age[code]), members_median_age=float(age.median()),
        youngest_rank=rank_of(age, code, largest_first=False), members_with_age=len(age),
        under_25_pct=float(young[code]), members_median_under_25_pct=float(young.median()),
        wage_usd_month=float(wages.loc[wages["iso3"] == code, "usd_high"].max()),
        floors_usd_month={c: float(v) for c, v in others["usd_low"].min().items()},
        ceilings_usd_month={c: float(v) for c, v in others["usd_high"].max().items()},
        wage_members=tuple(sorted(wages["iso3"].unique())))


def young_tests(ages: pd.DataFrame, named: list[str], year: int) -> dict[str, bool | None]:
    """Is each named member's median age below the members' median? None where a member has no median age."""
    age = ages.set_index("iso3")["median_age"]
    return {f"{code}'s median age in {year} is below the members' median":
            (bool(age[code] < age.median()) if code in age.index and pd.notna(age[code]) else None) for code in named}


def border_tests(borders: pd.DataFrame, code: str, neighbours: list[str]) -> dict[str, bool]:
    """Does ``code`` share a land border with each of ``neighbours``? (``borders``: data/reference/land_borders.csv)"""
    mine = set(borders.loc[borders["iso3"] == code, "neighbour_iso3"])
    if not mine:
        raise DataError(f"data/reference/land_borders.csv has no border of {code}; add its cited rows")
    return {f"{code} shares a land border with {n}": n in mine for n in neighbours}
