"""Every chart of the notebooks, one section per topic; the house style is applied by ``figures.style()``.

Functions take computed frames and return a figure; saving (with the table behind it) is ``figures.save``.
"""

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import ListedColormap

from .analysis.location import CATEGORIES
from .analysis.network import LOWER_BOUND, NOT_COVERED
from .analysis.specialization import STAGES
from .figures import PALETTE


# ---------------------------------------------------------------- semiconductors (notebook 04)

def exports_by_member(chart: pd.DataFrame, members: list[str]) -> plt.Figure:
    """One panel per view: each member's exports (US$ bn) by year; ``chart`` has view, member, year, value_bn."""
    colors = dict(zip(members, plt.get_cmap("tab10").colors))
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
    return fig


def stage_shares(matrix: pd.DataFrame, members: list[str]) -> plt.Figure:
    """Stacked bars: each provider's share of each value-chain stage (ASEAN members in reds, labelled at the right)."""
    order = matrix.sum(axis=1).sort_values(ascending=False).index
    fig, ax = plt.subplots(figsize=(9, 4))
    left = pd.Series(0.0, index=list(matrix.columns))
    others = [c for i, c in enumerate(plt.get_cmap("tab10").colors) if i != 3]  # no red: red marks ASEAN
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
    return fig


# ---------------------------------------------------------------- Figure 1 by plant location (notebook 05)

def figure1_grid(table: pd.DataFrame, trade: pd.Series, hq: pd.DataFrame, names: dict[str, str], trade_label: str):
    """Three panels: location evidence by stage, members' world export share (trade), ETO shares by firm HQ."""
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
        for j, col in enumerate(hq.columns):
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
    return fig, (ax, ax_trade, ax_hq)


# ---------------------------------------------------------------- Figure 2, trade network degrees (notebook 06)

def figure2_degrees(table: pd.DataFrame, base_year: int, year: int, names: dict[str, str], named: list[str],
                 order_view: str):
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
    return fig
