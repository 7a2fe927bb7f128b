"""Figure 1's stages and its measured trade indicators: members' world export shares.

- mirror trade (WTO): a member's share of world HS 8541+8542 exports as recorded by reporting
  importers. Chips leave ASEAN after assembly and test, so these exports speak to the
  assembly-test-packaging stage (and to distribution through re-exports, which the data cannot separate);
- CEPII BACI (opt-in, ``baci_dir``): each member's world export share and revealed comparative
  advantage by stage, from the HS6 codes of ``hs-stage-definitions`` (equipment and materials too).
The location evidence of the figure is built in :mod:`location`.
"""

import pandas as pd

from ..errors import DataError

STAGES = ("design", "front-end fabrication", "assembly-test-packaging", "equipment", "materials", "distribution")
# hs-stage-definitions stages -> Figure 1 stages (BACI path): devices and ICs leave ASEAN after ATP.
HS_STAGE = {"materials_inputs": "materials", "equipment": "equipment", "test_inspection": "equipment",
            "discrete_devices_8541": "assembly-test-packaging", "integrated_circuits_8542": "assembly-test-packaging"}
EVIDENCE_COLUMNS = ["iso3", "stage", "indicator", "item", "value_pct", "year", "source", "dataset"]


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


def indicators(trade: pd.Series, hq: pd.DataFrame, members: list[str], min_share_pct: float) -> pd.DataFrame:
    """Per member: share of world chip exports (``trade``, iso3 -> %), whether it reaches ``min_share_pct``, and the
    CSET/ETO shares by firm headquarters (``hq``, members x stages, prefixed ``hq_``)."""
    out = pd.DataFrame({"trade_share_pct": trade.reindex(members)}).join(hq.reindex(members).add_prefix("hq_"))
    return out.assign(trade_at_least_min_share=out["trade_share_pct"] >= min_share_pct)
