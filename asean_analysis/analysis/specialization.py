"""Figure 1: which ASEAN member shows evidence of which semiconductor value-chain stage.

Every cell of the members x stages matrix is built from evidence rows, each a cited number:
- ETO/CSET Chip Explorer: country market shares by stage and by input (tools -> equipment,
  materials -> materials; EDA and core IP -> design), and firms listed as providers with the member
  as headquarters country. Shares are by firm **headquarters**, not plant location (ETO writes
  Malaysia as ``MAL``);
- transcribed figures with their citation (Fulcrum/ISEAS shares of world ATP output and equipment
  production, The Business Times shares of world IC exports);
- trade: a member's share of world exports of HS 8541+8542 as recorded by reporting importers
  (WTO, mirror view). Chips leave ASEAN after assembly and test, so these exports are read as
  evidence of the assembly-test-packaging stage (and of distribution through re-exports, which the
  data cannot separate: that stage gets no trade evidence).
A cell without any row is "no evidence": nothing is guessed.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap

from .. import claims
from ..errors import DataError
from .semiconductors import ETO_CODES, eto_share_pct

STAGES = ("design", "front-end fabrication", "assembly-test-packaging", "equipment", "materials", "distribution")
ETO_STAGE = {"S1": "design", "S2": "front-end fabrication", "S3": "assembly-test-packaging"}
ETO_INPUT_TYPE = {"tool_resource": "equipment", "material_resource": "materials"}
ETO_DESIGN_INPUTS = {"N84", "N85"}  # EDA software, core IP: design inputs in the article's wording
TRANSCRIBED_STAGE = {
    "share_of_global_ATP_output": ("assembly-test-packaging", "share of world ATP output"),
    "share_of_global_SME_production": ("equipment", "share of world equipment production"),
    "global_ic_export_share": ("assembly-test-packaging", "share of world IC exports"),
}
# hs-stage-definitions stages -> Figure 1 stages (BACI path): devices and ICs leave ASEAN after ATP.
HS_STAGE = {"materials_inputs": "materials", "equipment": "equipment", "test_inspection": "equipment",
            "discrete_devices_8541": "assembly-test-packaging", "integrated_circuits_8542": "assembly-test-packaging"}
HIGH_SHARE_PCT = 10.0  # upper colour band of the figure
CATEGORIES = ("no evidence", "below threshold", "cited, no share", "share >= threshold", "share >= 10%")
EVIDENCE_COLUMNS = ["iso3", "stage", "indicator", "item", "value_pct", "year", "source", "dataset"]


def eto_evidence(provision: pd.DataFrame, providers: pd.DataFrame, inputs: pd.DataFrame,
                 members: list[str]) -> pd.DataFrame:
    """ETO rows for members: country shares by stage/input and firms headquartered in a member."""
    kind = providers.set_index("provider_id")["provider_type"]
    home = providers.set_index("provider_id")["country"]
    input_type = inputs.set_index("input_id")["type"]
    rows = provision.assign(provider_type=provision["provider_id"].map(kind))
    country = rows["provider_type"] == "country"
    rows["iso3"] = np.where(country, rows["provider_name"].replace(ETO_CODES), rows["provider_id"].map(home))
    rows = rows[rows["iso3"].isin(members)].copy()
    if rows["provider_type"].isna().any():
        raise DataError("ETO provision rows name providers missing from providers.csv; restore the pinned files")
    stage = rows["provided_id"].map(ETO_STAGE)
    stage = stage.fillna(rows["provided_id"].map(input_type).map(ETO_INPUT_TYPE))
    stage[rows["provided_id"].isin(ETO_DESIGN_INPUTS)] = "design"
    rows["stage"] = stage
    unmapped = rows[rows["stage"].isna()]
    if len(unmapped):
        raise DataError(f"ETO items without a stage: {', '.join(sorted(set(unmapped['provided_name'])))}; extend the mapping")
    share = eto_share_pct(rows["share_provided"])
    firm = rows["provider_type"] != "country"
    return pd.DataFrame({
        "iso3": rows["iso3"], "stage": rows["stage"],
        "indicator": np.where(firm, "firm headquartered here is a provider (ETO)", "country share of world market (ETO, by firm HQ)"),
        "item": np.where(firm, rows["provider_name"] + ": " + rows["provided_name"], rows["provided_name"]),
        "value_pct": share.where(~firm), "year": "c.2019-2021", "source": "ETO Chip Explorer",
        "dataset": "eto-provision",
    })[EVIDENCE_COLUMNS].reset_index(drop=True)


def transcribed_evidence(transcribed: pd.DataFrame, countries: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    """Cited shares by member (Fulcrum/ISEAS, The Business Times) mapped to a stage."""
    iso3 = dict(zip(countries["country"], countries["iso3"])) | {"Viet Nam": "VNM"}
    rows = transcribed[transcribed["metric"].isin(TRANSCRIBED_STAGE)].copy()
    rows["iso3"] = rows["geography"].map(iso3)
    rows = rows[rows["iso3"].isin(members)]
    stage = rows["metric"].map(lambda m: TRANSCRIBED_STAGE[m][0])
    return pd.DataFrame({
        "iso3": rows["iso3"], "stage": stage, "indicator": rows["metric"].map(lambda m: TRANSCRIBED_STAGE[m][1]),
        "item": rows["source_title"], "value_pct": pd.to_numeric(rows["value"], errors="raise"),
        "year": rows["year"].astype(str), "source": rows["publisher"], "dataset": "semiconductor-transcribed-figures",
    })[EVIDENCE_COLUMNS].reset_index(drop=True)


def export_shares(imports: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each exporter's share (%) of all HS 8541+8542 imports recorded by reporting importers in ``year``."""
    rows = imports[(imports["year"] == year) & (imports["reporter_iso3"] != imports["partner_iso3"])]
    if rows.empty:
        raise DataError(f"no WTO import rows for {year}; pick a year in {sorted(imports['year'].unique())}")
    by_exporter = rows.groupby("partner_iso3")["value_usd"].sum()
    return (100 * by_exporter / by_exporter.sum()).rename("share_pct").rename_axis("iso3").reset_index()


def trade_evidence(imports: pd.DataFrame, members: list[str], year: int) -> pd.DataFrame:
    """Members' share of world HS 8541+8542 exports (mirror view) as assembly-test-packaging evidence."""
    shares = export_shares(imports, year)
    shares = shares[shares["iso3"].isin(members)]
    return pd.DataFrame({
        "iso3": shares["iso3"], "stage": "assembly-test-packaging",
        "indicator": "share of world HS 8541+8542 exports, seen by reporting importers (WTO)",
        "item": "HS 8541+8542 exports", "value_pct": shares["share_pct"], "year": str(year),
        "source": "WTO bilateral imports (mirror)", "dataset": "wto-semiconductor-imports",
    })[EVIDENCE_COLUMNS].reset_index(drop=True)


def rca(stage_exports: pd.DataFrame) -> pd.DataFrame:
    """Balassa revealed comparative advantage per exporter and HS stage, with the world export share (%).

    RCA = (exporter's stage exports / its total exports) / (world stage exports / world total exports);
    input: exporter, stage, value_usd, total_usd (``baci.stage_exports``).
    """
    totals = stage_exports.drop_duplicates("exporter").set_index("exporter")["total_usd"]
    world_stage = stage_exports.groupby("stage")["value_usd"].sum()
    out = stage_exports.copy()
    out["share_pct"] = 100 * out["value_usd"] / out["stage"].map(world_stage)
    out["rca"] = (out["value_usd"] / out["total_usd"]) / (out["stage"].map(world_stage) / totals.sum())
    return out


def rca_evidence(stage_exports: pd.DataFrame, members: list[str], year: int) -> pd.DataFrame:
    """Members' world export share by stage's HS codes (CEPII BACI), with the RCA in the item text."""
    table = rca(stage_exports)
    table = table[table["exporter"].isin(members) & table["stage"].isin(HS_STAGE)]
    return pd.DataFrame({
        "iso3": table["exporter"], "stage": table["stage"].map(HS_STAGE),
        "indicator": "share of world exports of the stage's HS6 codes (CEPII BACI)",
        "item": table["stage"] + ": RCA " + table["rca"].round(2).astype(str), "value_pct": table["share_pct"],
        "year": str(year), "source": "CEPII BACI HS17", "dataset": "hs-stage-definitions",
    })[EVIDENCE_COLUMNS].reset_index(drop=True)


def cells(evidence: pd.DataFrame, members: list[str], min_share_pct: float) -> pd.DataFrame:
    """The members x stages matrix: strongest share, number of rows, sources and a category per cell.

    A cell counts as a specialisation (``evidence``) if one of its shares reaches ``min_share_pct`` or
    a source names the member as a provider without a share; shares below it are "below threshold".
    """
    out = []
    for code in members:
        for stage in STAGES:
            rows = evidence[(evidence["iso3"] == code) & (evidence["stage"] == stage)]
            best = rows["value_pct"].max() if rows["value_pct"].notna().any() else np.nan
            unshared = bool(rows["value_pct"].isna().any())
            if rows.empty:
                category = "no evidence"
            elif best >= HIGH_SHARE_PCT:
                category = "share >= 10%"
            elif best >= min_share_pct:
                category = "share >= threshold"
            elif unshared:
                category = "cited, no share"
            else:
                category = "below threshold"
            out.append({"iso3": code, "stage": stage, "max_share_pct": best, "n_rows": len(rows),
                        "sources": "; ".join(sorted(set(rows["source"]))), "category": category,
                        "evidence": category not in ("no evidence", "below threshold")})
    return pd.DataFrame(out)


def strongest_stage(table: pd.DataFrame) -> pd.Series:
    """Per member with evidence, the stage with the largest share (ties: the first stage in STAGES)."""
    shown = table[table["evidence"]].assign(order=lambda t: t["stage"].map(STAGES.index))
    shown = shown.sort_values(["iso3", "max_share_pct", "order"], ascending=[True, False, True])
    return shown.groupby("iso3")["stage"].first()


def spread_tests(table: pd.DataFrame, min_stages: int = 4) -> dict[str, bool]:
    """The figure's message as yes/no tests computed from the matrix."""
    shown = table[table["evidence"]]
    stages = shown["stage"].nunique()
    strongest = strongest_stage(table)
    leaders = shown.sort_values("max_share_pct", ascending=False).groupby("stage")["iso3"].first()
    return {
        f"members together show evidence in at least {min_stages} of the {len(STAGES)} stages ({stages})": stages >= min_stages,
        f"members' strongest stages differ ({strongest.nunique()} distinct)": strongest.nunique() >= 2,
        f"different members lead different stages ({leaders.nunique()} distinct leaders)": leaders.nunique() >= 2,
    }


def record_spread(claim_id: str, tests: dict[str, bool], table: pd.DataFrame, *, datasets: list[str]) -> dict:
    """Record the Figure 1 claim with the matrix as detail."""
    shown = table[table["evidence"]]
    detail = {f"{r.iso3} {r.stage}": r.category for r in shown.itertuples()}
    empty = sorted(set(STAGES) - set(shown["stage"]))
    return claims.record(
        claim_id, tests, evidence="derived_data", datasets=datasets, detail=detail,
        explanation=("Members x stages matrix from ETO/CSET shares (by firm HQ), cited shares and WTO mirror "
                     f"export shares; stages without any evidence: {', '.join(empty) or 'none'}. "
                     "A reconstruction with our data, not the article's own figure."))


def plot_matrix(table: pd.DataFrame, names: dict[str, str], min_share_pct: float):
    """Heat-map of the matrix: colour = category, text = strongest share and number of evidence rows."""
    labels = {"no evidence": "no evidence", "below threshold": f"share < {min_share_pct:g}%",
              "cited, no share": "cited, no share", "share >= threshold": f"{min_share_pct:g}-{HIGH_SHARE_PCT:g}%",
              "share >= 10%": f">= {HIGH_SHARE_PCT:g}%"}
    colours = ["#f2f2f2", "#f5d9d5", "#e8a89f", "#d35f50", "#8e1f14"]
    members = list(dict.fromkeys(table["iso3"]))
    codes = table.assign(c=table["category"].map(CATEGORIES.index)).pivot(index="iso3", columns="stage", values="c")
    codes = codes.loc[members, list(STAGES)]
    fig, ax = plt.subplots(figsize=(10, 5.6))
    ax.imshow(codes.to_numpy(), cmap=ListedColormap(colours), vmin=-0.5, vmax=len(CATEGORIES) - 0.5, aspect="auto")
    for (i, code), (j, stage) in ((a, b) for a in enumerate(members) for b in enumerate(STAGES)):
        row = table[(table["iso3"] == code) & (table["stage"] == stage)].iloc[0]
        if row["category"] == "no evidence":
            text = "no\nevidence"
        elif pd.notna(row["max_share_pct"]):
            share = f"{row['max_share_pct']:.2g}%" if row["max_share_pct"] >= 0.1 else "<0.1%"
            text = f"{share}\n({row['n_rows']} row{'s' if row['n_rows'] > 1 else ''})"
        else:
            text = f"cited\n({row['n_rows']} rows)"
        dark = row["category"] in ("share >= threshold", "share >= 10%")
        colour = "white" if dark else ("#9a9a9a" if row["category"] == "no evidence" else "#333333")
        ax.text(j, i, text, ha="center", va="center", fontsize=7.5, color=colour)
    ax.set_xticks(range(len(STAGES)), [s.replace(" ", "\n", 1) if len(s) > 12 else s for s in STAGES], fontsize=9)
    ax.set_yticks(range(len(members)), [names.get(c, c) for c in members])
    ax.tick_params(top=True, labeltop=True, bottom=False, labelbottom=False)
    ax.grid(False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours]
    ax.legend(handles, [labels[c] for c in CATEGORIES], loc="upper center", bbox_to_anchor=(0.5, -0.02),
              ncol=5, frameon=False, fontsize=8, title="strongest cited share of a world market or activity", title_fontsize=8)
    return fig, ax
