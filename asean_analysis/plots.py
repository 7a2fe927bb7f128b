"""Every chart of the notebooks, one section per topic, in the house style (``house.mplstyle``, via ``figures.style()``).

A chart function takes computed frames and returns a :class:`Chart`: the figure, the table behind it (saved next
to the image) and its caption. It draws only: no loading, no recording, no computing of results.
"""

import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from .figures import PALETTE


@dataclass(frozen=True)
class Chart:
    fig: plt.Figure
    data: pd.DataFrame  # the table behind the chart
    caption: str  # the source line and what a reader should see


def highlight(codes, chosen: str) -> list[str]:
    """One colour per bar: the house red for ``chosen``, grey for the others."""
    return [PALETTE["ASEAN"] if c == chosen else PALETTE["other"] for c in codes]


# ---------------------------------------------------------------- GDP rank (notebook 01)

def gdp_rank_world(table: pd.DataFrame, year: int, source: str, top: int = 10) -> Chart:
    """The ``top`` largest economies with ASEAN as one economy (``table``: ``gdp.rank(...).table``)."""
    chart = table.head(top).assign(gdp_usd_tn=lambda t: t["gdp_usd"] / 1e12)
    asean_rank = int(table.loc[table["iso3"] == "ASEAN", "world_rank"].iat[0])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.barh(chart["name"], chart["gdp_usd_tn"], color=highlight(chart["iso3"], "ASEAN"))
    ax.invert_yaxis()
    ax.set_xlabel(f"GDP {year}, current US$ trillion ({source})")
    ax.set_title(f"ASEAN as one economy: rank {asean_rank} in the world, {year}")
    caption = f"The {top} largest economies by nominal GDP with ASEAN's members summed into one economy."
    return Chart(fig, chart[["world_rank", "asia_rank", "iso3", "name", "gdp_usd_tn"]], caption)


# ---------------------------------------------------------------- internet users (notebook 02)

def internet_new_users(by_year: pd.DataFrame, result: pd.DataFrame, *, start_year: int, end_year: int, gap_policy: str,
                       min_coverage: float) -> Chart:
    """ASEAN's net new users a day, year by year on a linear axis from zero, against the claim's 125,000; growth of users
    of ASEAN and the comparators with enough coverage (``by_year``: ``internet.yearly``; ``result``: ``internet.window``)."""
    rows = by_year[by_year["market"] == "ASEAN"].assign(thousand_per_day=lambda t: t["new_per_day"] / 1e3)
    full = (rows["missing"] == "") & (rows["filled_pct"] < 1)
    average = float(result.set_index("market").loc["ASEAN", "new_per_day"]) / 1e3
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.8), gridspec_kw={"width_ratios": [1.4, 1]})
    ax.bar(rows.loc[full, "year"], rows.loc[full, "thousand_per_day"], color=PALETTE["ASEAN"],
           label="every member reported at both ends")
    ax.bar(rows.loc[~full, "year"], rows.loc[~full, "thousand_per_day"], color="white", hatch="//",
           edgecolor=PALETTE["ASEAN"], label=f"a member missing or filled (gap_policy {gap_policy})")
    ax.axhline(125, color=PALETTE["highlight"], ls="--", lw=1.2, label="125,000 a day (op-ed)")
    ax.hlines(average, start_year + 0.5, end_year + 0.5, color="black", lw=1.2, ls=":", label=f"average {start_year}-{end_year}")
    ax.set_ylim(0, None)
    ax.set_xlabel("year (change from the year before)")
    ax.set_ylabel("net new internet users per day, thousands")
    ax.set_title("ASEAN: net new internet users per day", fontsize=10)
    ax.legend(fontsize=7.5, loc="upper left")
    growth = result[result["coverage_pct"] >= min_coverage].sort_values("growth_pct")
    ax2.barh(growth["market"], growth["growth_pct"], color=highlight(growth["market"], "ASEAN"))
    ax2.set_xlabel(f"growth of internet users {start_year}-{end_year}, %")
    left_out = ", ".join(result.loc[result["coverage_pct"] < min_coverage, "market"])
    ax2.set_title(f"ASEAN and comparators, {start_year}-{end_year}" + (f" (no data: {left_out})" if left_out else ""),
                  fontsize=10)
    fig.tight_layout()
    data = pd.concat([rows.assign(panel="ASEAN per year"), result.assign(panel=f"window {start_year}-{end_year}")])
    caption = (f"Left: ASEAN's net new internet users per day, year by year (linear axis from zero; hatched: a member "
               f"lacks a reported value). Right: growth of users over {start_year}-{end_year}, markets with at least "
               f"{min_coverage:g} % population coverage.")
    columns = ["panel", "market", "year", "new_per_day", "growth_pct", "coverage_pct", "filled_pct", "missing"]
    return Chart(fig, data[columns], caption)


def mekong_gap(tables: list[pd.DataFrame]) -> Chart:
    """Members ranked on each indicator of ``internet.gap`` tables, the named members in red, the others' median dashed."""
    fig, axes = plt.subplots(1, len(tables), figsize=(12, 4.5))
    for ax, t in zip(axes, tables):
        median = t["others_median"].iat[0]
        ax.barh(t["iso3"], t["value"], color=[PALETTE["ASEAN"] if n else PALETTE["other"] for n in t["named"]])
        ax.axvline(median, color=PALETTE["highlight"], ls="--", lw=1)
        ax.annotate("median of the other members", (median, -0.6), xytext=(4, 0), textcoords="offset points", fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(f"{t['indicator'].iat[0]}, {t['year'].iat[0]}")
    named = ", ".join(sorted(tables[0].loc[tables[0]["named"], "iso3"]))
    fig.suptitle(f"ASEAN members ranked; the claim's members ({named}) in red", fontsize=11)
    fig.tight_layout()
    caption = "Internet use and fixed broadband per 100 people of the ASEAN members in the latest year all report."
    return Chart(fig, pd.concat(tables, ignore_index=True), caption)


# ---------------------------------------------------------------- digital economy and DEFA (notebook 03)

def gmv_by_edition(series: pd.DataFrame) -> Chart:
    """SEA-6 GMV by year, one colour per e-Conomy edition: filled = reported, open and dashed = projection, diamond =
    implied by a stated growth rate (``series``: ``digital.gmv_by_edition``)."""
    editions = list(dict.fromkeys(series["edition"]))
    cmap = plt.get_cmap("viridis")
    palette = {e: cmap((i + 1) / (len(editions) + 1)) for i, e in enumerate(editions)}  # interior samples, as seaborn does
    fig, ax = plt.subplots(figsize=(9, 5))
    for edition, grp in series.groupby("edition", sort=False):
        grp = grp.sort_values("year")
        known, ahead = grp[grp["kind"] != "projection"], grp[grp["kind"] == "projection"]
        ax.plot(known["year"], known["gmv_usd_bn"], color=palette[edition], lw=1.4, label=edition)
        if len(known) and len(ahead):
            ax.plot([known["year"].iat[-1], *ahead["year"]], [known["gmv_usd_bn"].iat[-1], *ahead["gmv_usd_bn"]],
                    color=palette[edition], lw=1, ls="--", alpha=0.7)
        for kind, marker, face in (("reported", "o", palette[edition]), ("projection", "o", "white"),
                                   ("implied by stated growth", "D", "white")):
            pts = grp[grp["kind"] == kind]
            ax.scatter(pts["year"], pts["gmv_usd_bn"], marker=marker, s=45, facecolor=face, edgecolor=palette[edition], zorder=3)
    ax.set_xlabel("year the value refers to")
    ax.set_ylabel("GMV, US$ bn (six countries)")
    ax.set_title("e-Conomy SEA: digital-economy GMV as each edition reported it")
    ax.legend(title="edition (filled = reported, open = projection (dashed), diamond = implied)", fontsize=8,
              title_fontsize=8, ncol=2)
    caption = ("SEA-6 digital-economy GMV by year as each e-Conomy SEA edition reported or projected it (transcribed, "
               "cited per row).")
    return Chart(fig, series, caption)


def defa_scenarios(scen: dict, paths: pd.DataFrame, gmv_2024: float) -> Chart:
    """The DEFA study's 2023 baseline and 2030 scenarios joined by constant-growth paths, the article's literal reading
    and e-Conomy SEA's 2024 GMV (``scen``: ``digital.defa_scenarios``; ``paths``: ``digital.scenario_paths``)."""
    fig, ax = plt.subplots(figsize=(8.5, 4.8))
    ax.plot(paths["year"], paths["business as usual"], color=PALETTE["other"], lw=2,
            label="study: business as usual (constant growth path)")
    ax.plot(paths["year"], paths["with DEFA"], color=PALETTE["ASEAN"], lw=2, label="study: with DEFA (constant growth path)")
    ax.plot([2024, scen["target_year"]], [scen["bau_usd_bn"], scen["defa_usd_bn"]], ls=":", color=PALETTE["highlight"],
            label=r'literal reading: "from \$1 tn to \$2 tn"')
    ax.scatter([scen["base_year"], scen["target_year"], scen["target_year"]],
               [scen["base_usd_bn"], scen["bau_usd_bn"], scen["defa_usd_bn"]], color="black", zorder=3,
               label="cited study values")
    ax.scatter([2024], [gmv_2024], marker="D", color=PALETTE["highlight"], zorder=3,
               label="e-Conomy SEA 2024: GMV, six countries")
    ax.set_xlabel("year")
    ax.set_ylabel("US$ bn")
    ax.set_title(f"DEFA study scenarios: the doubling is DEFA vs business as usual in {scen['target_year']}")
    ax.legend(fontsize=8, loc="upper left")
    caption = (f"ASEAN digital economy value in the DEFA study: {scen['base_year']} baseline and {scen['target_year']} "
               "scenarios (cited), joined by constant-growth paths.")
    return Chart(fig, paths, caption)


# ---------------------------------------------------------------- energy and workforce (notebook 07)

def brunei_gas(gas: pd.DataFrame, surplus: pd.DataFrame, gas_year: int) -> Chart:
    """Members' proved reserves on a linear axis from zero, labelled with years of production; Brunei's gas output
    against its total primary energy use (``gas``: ``energy.gas_table(...).table``; ``surplus``: ``energy.gas_surplus``)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.5))
    t = gas.sort_values("reserves_tcm", ascending=False, ignore_index=True)
    ax1.barh(t["Entity"], t["reserves_tcm"], color=highlight(t["iso3"], "BRN"))
    ax1.invert_yaxis()
    ax1.set_xlim(0, t["reserves_tcm"].max() * 1.35)
    ax1.set_xlabel(f"proved gas reserves, end-{gas_year} (trillion m3; linear axis from zero)")
    ax1.set_title("Proved reserves, with years of production left (bp 2021)")
    for i, r in enumerate(t.itertuples()):
        ax1.text(r.reserves_tcm, i, f" {r.reserves_to_production_years:.0f} years", va="center", fontsize=8)
    ax2.plot(surplus["year"], surplus["gas_production_twh"], marker="o", color=PALETTE["ASEAN"], label="gas production")
    ax2.plot(surplus["year"], surplus["primary_energy_twh"], marker="s", color=PALETTE["highlight"],
             label="total primary energy use")
    ax2.set_ylim(0, None)
    ax2.set_ylabel("TWh")
    ax2.set_title("Brunei: gas output vs all domestic energy use")
    ax2.legend(loc="lower left")
    fig.suptitle(f"Brunei's natural gas: reserves against the other members' ({gas_year}) and output against its own energy use")
    fig.tight_layout()
    data = t[["iso3", "Entity", "reserves_tcm", "reserves_to_production_years", "reserves_m3_per_head",
              "world_share_pct"]].merge(surplus.assign(iso3="BRN"), on="iso3", how="outer")
    caption = (f"Left: proved gas reserves of the members with data, end-{gas_year} (bp Statistical Review 2021), on a "
               "linear axis from zero, labelled with the reserves-to-production ratio in years. Right: Brunei's gas "
               "production and total primary energy consumption (OWID energy data, current vintage).")
    return Chart(fig, data, caption)


def laos_hydro(mix: pd.DataFrame, series: pd.DataFrame, mix_year: int, since: int = 2005) -> Chart:
    """Members' hydro shares with their net imports; Laos' hydro share and net imports over time in both OWID vintages
    (``mix``: ``energy.electricity_mix(...).table``; ``series``: ``energy.vintages``)."""
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(14, 4.5))
    ax1.barh(mix["Country"], mix["hydro_share_pct"], color=highlight(mix["iso3"], "LAO"))
    ax1.invert_yaxis()
    ax1.set_xlabel(f"hydro share of electricity, {mix_year} (%)")
    ax1.set_title("Members (OWID 2022 vintage)")
    for i, r in enumerate(mix.itertuples()):
        ax1.text(r.hydro_share_pct, i, f" net imports {r.net_imports_twh:+.1f} TWh", va="center", fontsize=8)
    ax1.set_xlim(0, 115)
    recent = series[series["year"] >= since]
    for ax, col, label in ((ax2, "hydro_share_pct", "hydro share of electricity (%)"),
                           (ax3, "net_imports_twh", "net electricity imports (TWh; < 0: exports)")):
        ax.plot(recent["year"], recent[f"{col}_2022"], color=PALETTE["other"], marker="o", label="2022 vintage")
        ax.plot(recent["year"], recent[f"{col}_current"], color=PALETTE["ASEAN"], marker=".", label="current vintage")
        ax.set_ylabel(label)
        ax.legend(loc="lower left", fontsize=8)
    ax2.set_ylim(0, 105)
    ax3.axhline(0, color=PALETTE["highlight"], linewidth=0.8)
    ax2.set_title("Laos: hydro share")
    ax3.set_title("Laos: net imports")
    fig.suptitle(f"Laos' hydropower: members' hydro shares ({mix_year}) and Laos over time in two data vintages")
    fig.tight_layout()
    data = mix.assign(vintage="2022").merge(series.assign(iso3="LAO"), on="iso3", how="outer")
    caption = (f"Left: hydro share of electricity and net imports of the members, {mix_year} (OWID electricity mix, bp & "
               "Ember, 2022 vintage). Right: Laos' hydro share and net electricity exports in the 2022 and current OWID vintages.")
    return Chart(fig, data, caption)


def cambodia_workforce(ages: pd.DataFrame, structure: pd.DataFrame, wages: pd.DataFrame, *, age_year: int,
                       wage_year: int, days_per_month: int, code: str = "KHM") -> Chart:
    """Members' median ages against their median; sourced minimum wages as US$ ranges (exchange rates), ``code``'s
    upper bound marked (``ages``/``structure``: ``energy.median_age``/``age_structure`` tables; ``wages``: ``energy.wages_usd``)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.5))
    ax1.barh(ages["Country"], ages["median_age"], color=highlight(ages["iso3"], code))
    ax1.axvline(ages["median_age"].median(), color=PALETTE["highlight"], linestyle="--", label="members' median")
    ax1.invert_yaxis()
    ax1.set_xlabel(f"median age, {age_year} (years; UN WPP 2022)")
    ax1.set_title("Median age")
    ax1.legend(loc="upper right", fontsize=8)
    w = wages.sort_values("usd_low", ignore_index=True)
    colors = highlight(w["iso3"], code)
    ax2.hlines(range(len(w)), w["usd_low"], w["usd_high"], color=colors, linewidth=6)
    ax2.scatter(w["usd_low"], range(len(w)), color=colors, zorder=3)
    ax2.set_yticks(range(len(w)), [textwrap.fill(f"{r.geography}: {r.metric}", 34) for r in w.itertuples()], fontsize=8)
    ax2.axvline(w.loc[w["iso3"] == code, "usd_high"].max(), color=PALETTE["ASEAN"], linestyle=":")
    ax2.set_xlabel(f"minimum wage {wage_year}, US$ per month (range: exchange rates)")
    ax2.set_title(f"Minimum wages where sourced ({days_per_month} days/month)")
    fig.suptitle(f"Cambodia's workforce: median age ({age_year}) and statutory minimum wages ({wage_year})")
    fig.tight_layout()
    data = ages.merge(structure, on="iso3", how="outer").merge(wages, on="iso3", how="outer")
    caption = (f"Left: members' median age, {age_year} (UN WPP 2022 via OWID). Right: statutory minimum wages in US$ per "
               "month (Cambodia garment sector; Viet Nam regions I-IV; Thailand provincial daily range x days per month), "
               "converted at the transcribed exchange rates (data/reference/wages.csv).")
    return Chart(fig, data, caption)
