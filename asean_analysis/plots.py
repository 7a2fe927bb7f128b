"""Every chart of the notebooks, one section per topic, in the house style (``house.mplstyle``, via ``figures.style()``).

A chart function takes computed frames and returns a :class:`Chart`: the figure, the table behind it (saved next
to the image) and its caption. It draws only: no loading, no recording, no computing of results.
"""

import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import TABLEAU_COLORS, ListedColormap

from .analysis.location import CATEGORIES, figure_table
from .analysis.network import LOWER_BOUND, NOT_COVERED
from .analysis.semiconductors import stage_long
from .analysis.specialization import STAGES
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


# ---------------------------------------------------------------- semiconductors (notebook 04)

TAB10 = list(TABLEAU_COLORS.values())  # the colours of the "tab10" colormap


def exports_by_member(chart: pd.DataFrame, members: list[str], caption: str) -> Chart:
    """One panel per view: each member's exports (US$ bn) by year; ``chart``: view, member, year, value_bn
    (``semiconductors.chart_table``)."""
    colors = dict(zip(members, TAB10))
    fig, axes = plt.subplots(1, chart["view"].nunique(), figsize=(11, 4.5), sharey=True, squeeze=False)
    for ax, (view, frame) in zip(axes[0], chart.groupby("view", sort=False)):
        wide = frame.pivot(index="year", columns="member", values="value_bn")
        wide = wide[wide.iloc[-1].sort_values(ascending=False).index]
        wide.plot(ax=ax, marker="o", color=[colors.get(m, "black") for m in wide.columns])
        ax.set_title(view, fontsize=11)
        ax.set_xlabel("")
        ax.set_xticks(sorted(frame["year"].unique()))
        ax.legend(fontsize=8, ncol=2)
    axes[0][0].set_ylabel("exports, current US$ bn")
    fig.suptitle("ASEAN semiconductor exports by member: members' own records vs. partners' records")
    fig.tight_layout()
    return Chart(fig, chart, caption)


def stage_shares(matrix: pd.DataFrame, members: list[str]) -> Chart:
    """Stacked bars: each provider's share of each value-chain stage (ASEAN members in reds, labelled at the right)."""
    order = matrix.sum(axis=1).sort_values(ascending=False).index
    fig, ax = plt.subplots(figsize=(9, 4))
    left = pd.Series(0.0, index=list(matrix.columns))
    others = [c for i, c in enumerate(TAB10) if i != 3]  # no red: red marks ASEAN
    palette = dict(zip([p for p in order if p not in members], others))
    reds = iter([PALETTE["ASEAN"], "#e6776b", "#f1b0a8"] * 4)
    for provider in order:
        values = matrix.loc[provider, list(matrix.columns)]
        color = next(reds) if provider in members else palette[provider]
        ax.barh(list(matrix.columns), values, left=left, color=color, edgecolor="white",
                label=provider + (" (ASEAN)" if provider in members else ""))
        for stage, v in values.items():
            if v >= 4:
                ax.text(left[stage] + v / 2, stage, f"{provider}\n{v:g}%", ha="center", va="center", fontsize=7, color="white")
        left += values
    asean_share = matrix.reindex(members, fill_value=0).sum()
    for i, stage in enumerate(matrix.columns):
        ax.text(101, i, f"ASEAN {asean_share[stage]:g}%", va="center", fontsize=8, color=PALETTE["ASEAN"])
    ax.set_xlim(0, 112)
    ax.invert_yaxis()
    ax.set_xlabel("share of the stage's global market, % (firm headquarters; mostly 2019)")
    ax.set_title("Semiconductor value chain: country shares by stage (CSET/ETO)")
    ax.legend(fontsize=7, ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    caption = ("Country shares of logic-chip design, fabrication and assembly-testing-packaging by firm headquarters "
               "(CSET/ETO Chip Explorer; mostly 2019). ASEAN members in red; 'Various' is ETO's remainder.")
    return Chart(fig, stage_long(matrix), caption)


# ---------------------------------------------------------------- Figure 1 by plant location (notebook 05)

def figure1_grid(table: pd.DataFrame, trade: pd.Series, hq: pd.DataFrame, names: dict[str, str], trade_year: int) -> Chart:
    """Figure 1 in three panels: location evidence by stage (``location.grid``), members' share of world chip exports
    (``trade``: iso3 -> %) and CSET/ETO shares by firm headquarters (``hq``: members x stages)."""
    trade_label = f"share of world chip\nexports, {trade_year} (WTO mirror)"
    data = figure_table(table, hq, trade)
    members = list(dict.fromkeys(table["iso3"]))
    colours = ["#f2f2f2", "#f6e3b4", "#9ecae1", "#2171b5"]
    codes = table.assign(c=table["category"].map(CATEGORIES.index)).pivot(index="iso3", columns="stage", values="c")
    codes = codes.loc[members, list(STAGES)]
    fig, (ax, ax_trade, ax_hq) = plt.subplots(1, 3, figsize=(13, 5.8), sharey=True,
                                              gridspec_kw={"width_ratios": [6, 1, 3], "wspace": 0.08})
    ax.imshow(codes.to_numpy(), cmap=ListedColormap(colours), vmin=-0.5, vmax=len(CATEGORIES) - 0.5, aspect="auto")
    for (i, code), (j, stage) in ((a, b) for a in enumerate(members) for b in enumerate(STAGES)):
        row = table[(table["iso3"] == code) & (table["stage"] == stage)].iloc[0]
        text = {"no evidence found": "none\nfound", "weak evidence only": "weak\nonly", "planned only": "planned\nonly"}.get(
            row["category"], f"{row['n_operating']} row{'s' if row['n_operating'] > 1 else ''}")
        if pd.notna(row["best_share_pct"]):
            text += f"\n{row['best_share_pct']:g}% world"
        ax.text(j, i, text, ha="center", va="center", fontsize=7.5,
                color="white" if row["category"] == "operating" else "#444444")
    ax.set_xticks(range(len(STAGES)), [s.replace(" ", "\n").replace("-", "-\n") for s in STAGES], fontsize=8)
    ax.set_yticks(range(len(members)), [names.get(c, c) for c in members])
    ax.set_title("by plant location: operating evidence rows\n(and strongest measured share of world activity)", fontsize=9)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours]
    ax.legend(handles, CATEGORIES, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=4, frameon=False, fontsize=8)
    values = trade.reindex(members)
    ax_trade.barh(range(len(members)), values.fillna(0), color="#7f7f7f")
    for i, v in enumerate(values):
        ax_trade.text(0.2, i, "no data" if pd.isna(v) else (f"{v:.2g}%" if v >= 0.01 else "<0.01%"), va="center", fontsize=7.5)
    ax_trade.set_title(trade_label, fontsize=9)
    ax_trade.tick_params(labelleft=False)
    ax_trade.grid(False)
    hq = hq.reindex(index=members, fill_value=0).astype(float)
    ax_hq.imshow(hq.to_numpy(), cmap="Greys", vmin=0, vmax=40, aspect="auto")
    for i in range(len(members)):
        for j in range(len(hq.columns)):
            value = hq.iloc[i, j]
            ax_hq.text(j, i, f"{value:g}%" if value else "not listed", ha="center", va="center", fontsize=7.5,
                       color="white" if value > 20 else "#444444")
    ax_hq.set_xticks(range(len(hq.columns)), list(hq.columns), fontsize=8.5)
    ax_hq.set_title("by firm headquarters (CSET/ETO):\nshare of world market, a different basis", fontsize=9)
    fig.text(0.4, -0.09, "'none found': no row in the sources searched, not proof of absence: the facility evidence "
             "is not a census,\nBrunei, Cambodia, Laos and Myanmar were not searched in depth, and no source records "
             "distribution by location. Planned plants never count as operating.", ha="center", va="top", fontsize=7.5)
    for a in (ax, ax_hq):
        a.grid(False)
        a.tick_params(top=False, bottom=True)
    fig.suptitle("Spread of semiconductor activity within ASEAN: evidence by plant location", fontsize=11)
    caption = ("Members x value-chain stages by plant location: operating plants (evidence rows, strongest measured share "
               "of world activity), planned only, weak evidence only, or no evidence found (facility evidence is not a "
               "census; BRN, KHM, LAO, MMR not searched in depth; distribution not covered). Beside it: share of world "
               f"HS 8541+8542 exports ({trade_year}, WTO mirror) and CSET/ETO shares by firm headquarters (ownership, a "
               "different basis).")
    return Chart(fig, data, caption)


# ---------------------------------------------------------------- Figure 2, trade network degrees (notebook 06)

def figure2_degrees(table: pd.DataFrame, data: pd.DataFrame, base_year: int, year: int, names: dict[str, str],
                    named: list[str], *, order_view: str, lacking: dict[str, list[int]]) -> Chart:
    """One panel per view: each member's total degree in ``base_year`` and ``year``.

    Hatched bars are lower bounds (the member does not report in that view and year); members absent
    from a view are labelled "not covered". Members are ordered by their degree in ``order_view``.
    """
    views = list(dict.fromkeys(table["view"]))
    order_view = order_view if order_view in views else views[0]  # a view lacking the years is not in the table
    key = table[(table["view"] == order_view) & (table["year"] == year)].set_index("iso3")["total_degree"]
    order = sorted(key.index, key=lambda c: (pd.isna(key[c]), -(0 if pd.isna(key[c]) else key[c]), c))
    fig, axes = plt.subplots(1, len(views), figsize=(5.2 * len(views), 5.2), sharey=True, squeeze=False)
    colours = {base_year: "#d9a59e", year: "#c0392b"}
    for ax, view in zip(axes[0], views):
        part = table[table["view"] == view]
        top = float(part["total_degree"].astype("Float64").max())
        for k, y in enumerate((base_year, year)):
            rows = part[part["year"] == y].set_index("iso3").reindex(order)
            for i, code in enumerate(order):
                r = rows.loc[code]
                pos = i + (k - 0.5) * 0.38
                if r["coverage"] == NOT_COVERED:
                    if k == 0:
                        ax.text(0.01 * top, i, "not covered by this view", va="center", fontsize=8, color="#7f7f7f")
                    continue
                value = int(r["total_degree"])
                lower = r["coverage"] == LOWER_BOUND
                ax.barh(pos, value, height=0.38, color=colours[y], hatch="///" if lower else None,
                        edgecolor="white" if lower else colours[y], label=str(y) if i == 0 else None)
                ax.text(value + 0.01 * top, pos, f"{'≥' if lower else ''}{value}", va="center", fontsize=7)
        products = ", ".join(sorted(part["product"].unique()))
        ax.set_title(f"{view} view ({products})", fontsize=10)
        ax.set_xlabel("total degree = in + out (distinct partners)")
        ax.set_xlim(0, top * 1.15)
    axes[0][0].set_yticks(range(len(order)), [names.get(c, c) for c in order])
    for label, code in zip(axes[0][0].get_yticklabels(), order):
        if code in named:
            label.set_color("#8e1f14")
            label.set_fontweight("bold")
    axes[0][0].invert_yaxis()
    handles, labels = axes[0][-1].get_legend_handles_labels()
    handles.append(plt.Rectangle((0, 0), 1, 1, facecolor="#c0392b", hatch="///", edgecolor="white"))
    labels.append("lower bound (member does not report)")
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False, bbox_to_anchor=(0.5, -0.04))
    fig.suptitle(f"Total degree in semiconductor trade, ASEAN members, {base_year} and {year} (reconstruction)", fontsize=11)
    missing = "; ".join(f"{name} view not shown: no {', '.join(map(str, ys))}" for name, ys in lacking.items())
    caption = ("Total degree (distinct trade partners, in + out) of each ASEAN member in directed semiconductor trade "
               "networks: reporter view (UN Comtrade HS 8542, six ASEAN reporters) and mirror view (WTO imports of "
               f"HS 8541+8542), {base_year} and {year}. Hatched: lower bound." + (f" {missing}." if missing else "")
               + " A reconstruction with our data of the article's Figure 2; closest published study: Prabheesh & Vidya "
               "(2025), Emerging Markets Finance and Trade 61(8).")
    return Chart(fig, data, caption)


# ---------------------------------------------------------------- sweeps (python -m asean_analysis sweep)

def verdict_grid(frame: pd.DataFrame, order: list[str]) -> Chart:
    """Verdict of each claim (row) under each parameter set (column) of a sweep's table."""
    import seaborn as sns

    codes = frame.assign(code=frame["verdict"].map(order.index))
    wide = codes.pivot(index="claim", columns="parameters", values="code")
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * wide.shape[1] + 3), 0.35 * len(wide) + 2))
    cmap = ListedColormap(sns.color_palette("tab20", len(order)))
    ax.imshow(wide.to_numpy(dtype=float), cmap=cmap, vmin=-0.5, vmax=len(order) - 0.5, aspect="auto")
    ax.set_xticks(range(wide.shape[1]), wide.columns, rotation=60, ha="right")
    ax.set_yticks(range(len(wide)), wide.index)
    for (y, x), code in pd.DataFrame(wide.to_numpy()).stack().items():
        ax.text(x, y, order[int(code)].replace("_", " "), ha="center", va="center", fontsize=7)
    ax.set_title("Verdict of each claim under each parameter set")
    return Chart(fig, frame, "Verdict stability: each cell is the verdict of a claim (row) under a parameter set (column).")
