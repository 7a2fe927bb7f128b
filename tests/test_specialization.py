"""Figure 1's trade indicators (mirror export shares, BACI RCA) and its recorded claim."""

import json

import pandas as pd
import pytest

from asean_analysis import load
from asean_analysis.analysis import specialization as spec


def test_export_shares_sum_to_100_and_exclude_self_trade():
    imports = pd.DataFrame({"reporter_iso3": ["X", "X", "Y", "Y"], "partner_iso3": ["A", "B", "A", "Y"],
                            "year": 2019, "value_usd": [30.0, 10.0, 60.0, 999.0]})
    shares = spec.export_shares(imports, 2019).set_index("iso3")["share_pct"]
    assert shares.to_dict() == pytest.approx({"A": 90.0, "B": 10.0})
    real = spec.export_shares(load.wto_semiconductor_imports(), 2019)
    assert real["share_pct"].sum() == pytest.approx(100.0)
    assert 5 < real.set_index("iso3").loc["MYS", "share_pct"] < 30  # Malaysia: a major exporter of chips


def test_rca_by_hand():
    exports = pd.DataFrame({"exporter": ["A", "A", "B"], "stage": ["equipment", "materials_inputs", "equipment"],
                            "value_usd": [20.0, 10.0, 30.0], "total_usd": [100.0, 100.0, 300.0]})
    out = spec.rca(exports).set_index(["exporter", "stage"])
    # world equipment 50 of world total 400: A = (20/100)/(50/400) = 1.6; B = (30/300)/(50/400) = 0.8
    assert out.loc[("A", "equipment"), "rca"] == pytest.approx(1.6)
    assert out.loc[("B", "equipment"), "rca"] == pytest.approx(0.8)
    assert out.loc[("A", "equipment"), "share_pct"] == pytest.approx(40.0)
    rows = spec.rca_evidence(exports, ["A"], 2019)
    assert set(rows["stage"]) == {"equipment", "materials"}


def test_figure1_claim_is_computed(ledger):
    tests = json.loads(ledger.loc["FIG-1", "computed"])
    failed = [k for k, v in tests.items() if v is False]
    assert (ledger.loc["FIG-1", "verdict"] == "partly_supported") == (0 < len(failed) < len(tests))
    assert all(k in ledger.loc["FIG-1", "reason"] for k in failed)
    most = [v for k, v in tests.items() if k.startswith("operating plants in at least")]
    assert len(tests) == 3 and most == [True]  # operating plants in most stages (location)
    assert "of 6 stages" in ledger.loc["FIG-1", "explanation"]


def test_indicators_mark_the_minimum_share():
    trade = pd.Series({"MYS": 6.2, "SGP": 0.4}).rename_axis("iso3")
    hq = pd.DataFrame({"Design": [0.0], "ATP": [1.5]}, index=["MYS"])
    table = spec.indicators(trade, hq, ["MYS", "SGP", "BRN"], min_share_pct=1.0)
    assert table["trade_at_least_min_share"].tolist() == [True, False, False]  # no trade share: not marked
    assert table.loc["MYS", "hq_ATP"] == 1.5 and pd.isna(table.loc["BRN", "trade_share_pct"])
