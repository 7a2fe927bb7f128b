"""Figure 1: evidence rows, the members x stages matrix, its tests and the RCA of the BACI path."""

import json

import numpy as np
import pandas as pd
import pytest

from asean_analysis import load
from asean_analysis.analysis import specialization as spec

MEMBERS = ["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "VNM"]


def _row(iso3, stage, value, source="s"):
    return {"iso3": iso3, "stage": stage, "indicator": "i", "item": "x", "value_pct": value, "year": "2019",
            "source": source, "dataset": "d"}


def test_eto_rows_map_malaysia_and_stages():
    rows = spec.eto_evidence(load.read("eto-provision"), load.read("eto-providers"), load.read("eto-inputs"), MEMBERS)
    assert set(rows["iso3"]) == {"MYS", "SGP"}  # ETO writes Malaysia as MAL
    atp = rows[(rows["stage"] == "assembly-test-packaging") & rows["value_pct"].notna()].set_index("iso3")["value_pct"]
    assert atp.to_dict() == {"MYS": 2.0, "SGP": 2.0}
    wire = rows[rows["item"] == "Wire bonding tools"]
    assert wire["stage"].tolist() == ["equipment"] and wire["value_pct"].tolist() == [59.0]
    assert set(rows["stage"]) <= set(spec.STAGES)


def test_cells_categories_and_no_evidence():
    evidence = pd.DataFrame([_row("A", "design", 12.0), _row("A", "design", 3.0), _row("A", "equipment", 0.5),
                             _row("B", "materials", np.nan), _row("B", "equipment", 4.0)])
    table = spec.cells(evidence, ["A", "B", "C"], min_share_pct=1.0).set_index(["iso3", "stage"])
    assert table.loc[("A", "design"), "category"] == "share >= 10%" and table.loc[("A", "design"), "n_rows"] == 2
    assert table.loc[("A", "equipment"), "category"] == "below threshold"
    assert table.loc[("B", "materials"), "category"] == "cited, no share"
    assert table.loc[("B", "equipment"), "category"] == "share >= threshold"
    assert (table.loc["C", "category"] == "no evidence").all() and not table.loc["C", "evidence"].any()
    assert len(table) == 3 * len(spec.STAGES)


def test_spread_tests_can_fail():
    one_stage = pd.DataFrame([_row("A", "assembly-test-packaging", 5.0), _row("B", "assembly-test-packaging", 3.0)])
    tests = spec.spread_tests(spec.cells(one_stage, ["A", "B"], 1.0))
    assert list(tests.values()) == [False, False, False]
    spread = pd.DataFrame([_row("A", "design", 5.0), _row("B", "equipment", 3.0), _row("B", "materials", 2.0),
                           _row("A", "assembly-test-packaging", 2.0)])
    assert all(spec.spread_tests(spec.cells(spread, ["A", "B"], 1.0)).values())


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
    assert ledger.loc["FIG-1", "verdict"] in {"supported", "approximately", "contradicted"}
    tests = json.loads(ledger.loc["FIG-1", "computed"])
    assert len(tests) == 3 and all(isinstance(v, bool) for v in tests.values())
