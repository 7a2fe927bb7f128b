"""Figure 1 by plant location: row classification, the evidence grid, its tests and SEMI-5's readings."""

import numpy as np
import pandas as pd
import pytest

from asean_analysis.analysis import location as loc
from asean_analysis.analysis.specialization import STAGES
from asean_analysis.errors import DataError


def _facility(iso3, stage, status, confidence="high", evidence=""):
    return {"member_iso3": iso3, "stage": stage, "actor_or_facility": f"{iso3} {stage}", "status": status,
            "evidence": evidence, "source_title": "t", "publisher": "p", "date": "2024", "url": "https://x",
            "quote": "q", "confidence": confidence}


def _share(geography, metric, value, confidence="medium"):
    return {"metric": metric, "geography": geography, "year": "2024", "value": value, "unit": "%",
            "source_title": "t", "publisher": "p", "url": "https://x", "locator": "", "quote": "q",
            "confidence": confidence, "notes": ""}


FACILITIES = pd.DataFrame([
    _facility("AAA", "front-end fab", "operating"),
    _facility("AAA", "front-end fab", "planned: 2027"),
    _facility("AAA", "ATP", "operating"),
    _facility("BBB", "front-end fab", "planned"),
    _facility("BBB", "ATP", "operating (per secondary source)", confidence="low"),
    _facility("BBB", "design", "", evidence="qualitative"),
    _facility("CCC", "design", "announced"),
    _facility("REGION", "ATP (count)", "2022 database"),
])
NUMBERS = pd.DataFrame([
    _share("AAA", "share_of_global_chip_capacity", "4.7"),
    _share("AAA", "share_of_wafer_fabrication_capacity", "5", confidence="medium-low"),
    _share("AAA", "share_of_global_ATP_market", "13", confidence="low"),
    _share("CHN+TWN+KOR+JPN+USA (five largest)", "share_of_global_inproduction_wafer_capacity", "87", "high"),
    _share("rest", "share_of_global_inproduction_wafer_capacity_rest_of_world", "13", "high (arithmetic)"),
    _share("TWN", "share_of_global_assembly_and_test_market", "51"),
    _share("Southeast Asia", "share_of_global_testing_and_packaging_market", "27", "medium-low"),
])
MEMBERS = ["AAA", "BBB", "CCC", "DDD"]


def _grid():
    return loc.grid(loc.facility_rows(FACILITIES, MEMBERS), loc.share_rows(NUMBERS), MEMBERS, not_in_depth=("DDD",))


def test_status_and_confidence_classes():
    assert loc.status_class("planned: construction 2H2024", "") == "planned"
    assert loc.status_class("approved 2024", "") == "planned"
    assert loc.status_class("operating; expanding", "") == "operating"
    assert loc.status_class("", "qualitative") == "statement"
    assert loc.confidence_rank("high (for 2006 vintage)") == 4 and loc.confidence_rank("low-medium") == 1
    with pytest.raises(DataError, match="PLANNED_WORDS"):
        loc.status_class("rumoured", "")


def test_grid_categories_counts_and_refs():
    table = _grid().set_index(["iso3", "stage"])
    assert len(table) == len(MEMBERS) * len(STAGES)
    fab = table.loc[("AAA", loc.FAB)]
    assert (fab["category"], fab["n_operating"], fab["n_planned"]) == ("operating", 1, 1)  # planned never counts
    assert fab["best_share_pct"] == 4.7 and fab["share_ref"] == "location-transcribed-numbers#1"  # higher confidence wins
    assert fab["refs"] == "location-facility-evidence#1; location-facility-evidence#2; location-transcribed-numbers#1"
    assert np.isnan(table.loc[("AAA", loc.ATP), "best_share_pct"])  # a 'low' share is not used
    assert table.loc[("BBB", loc.FAB), "category"] == "planned only"
    assert table.loc[("BBB", loc.ATP), "category"] == "weak evidence only"  # low confidence: not operating
    assert table.loc[("BBB", "design"), "category"] == "weak evidence only"  # a remark, not a plant
    assert table.loc[("CCC", "design"), "category"] == "planned only"
    assert (table.loc["DDD", "category"] == "no evidence found").all()
    assert "not searched in depth" in table.loc[("DDD", "design"), "searched"]
    assert "distribution" in table.loc[("AAA", "distribution"), "searched"]
    assert "REGION" not in table.index.get_level_values("iso3")


def test_diversity_tests_can_fail_and_pass():
    found = loc.diversity(_grid())
    assert found["stages"] == [loc.FAB, loc.ATP] and found["stages_by_member"] == {"AAA": [loc.FAB, loc.ATP]}
    tests = loc.diversity_tests(_grid(), min_stages=2)
    assert list(tests.values()) == [True, False, False]  # one member holds every stage with plants
    spread = pd.concat([FACILITIES, pd.DataFrame([_facility("CCC", "equipment", "operating"),
                                                  _facility("DDD", "materials", "new (2021-)")])], ignore_index=True)
    table = loc.grid(loc.facility_rows(spread, MEMBERS), loc.share_rows(NUMBERS), MEMBERS)
    assert list(loc.diversity_tests(table, min_stages=4).values()) == [True, True, True]
    assert next(iter(loc.diversity_tests(table, min_stages=5).values())) is False


def test_fabrication_bounds_and_readings():
    shares = loc.share_rows(NUMBERS)
    fab = loc.stage_bounds(shares, NUMBERS, MEMBERS, loc.FAB)
    assert (fab["lower_pct"], fab["upper_pct"], fab["top_group_pct"]) == (4.7, 13.0, 87.0)
    tests = loc.influence_tests(fab, ["AAA"], gdp_pct=3.6)
    assert list(tests.values()) == [True, True, False]  # 13 % at most < 87/5 = 17.4 %
    assert "17.4%" in list(tests)[2]
    assert list(loc.influence_tests(fab, [], gdp_pct=6.0).values()) == [False, False, False]


def test_atp_bounds_use_the_region_and_leader():
    shares = loc.share_rows(NUMBERS)
    atp = loc.stage_bounds(shares, NUMBERS, MEMBERS, loc.ATP)
    assert atp["lower_pct"] == 0 and atp["region_pct"] == 27.0 and atp["top_group"] == "TWN"
    tests = loc.influence_tests(atp, ["AAA"], gdp_pct=3.6)
    assert list(tests.values()) == [True, True, False]  # region 27 % < Taiwan 51 %
    higher = atp | {"top_group_pct": 20.0}
    assert list(loc.influence_tests(higher, ["AAA"], gdp_pct=3.6).values())[2] is True


def test_no_share_leaves_the_weight_reading_not_evaluable():
    bounds = {"stage": "design", "members": {}, "lower_pct": 0.0, "region_pct": None, "upper_pct": None,
              "top_group_pct": None, "top_group": None, "refs": []}
    tests = loc.influence_tests(bounds, ["AAA"], gdp_pct=3.6)
    assert list(tests.values()) == [True, None]
    with_leader = loc.influence_tests(bounds | {"top_group_pct": 51.0, "top_group": "TWN"}, ["AAA"], gdp_pct=3.6)
    assert list(with_leader.values()) == [True, None, None]  # no share at all: neither reading can be judged


def test_gdp_share():
    gdp = pd.DataFrame({"iso3": ["AAA", "BBB", "WLD", "AAA"], "year": [2023, 2023, 2023, 2022],
                        "gdp_usd": [2.0, 3.0, 100.0, 9.0]})
    assert loc.gdp_share_pct(gdp, ["AAA", "BBB"], 2023) == pytest.approx(5.0)
    with pytest.raises(DataError, match="CCC"):
        loc.gdp_share_pct(gdp, ["AAA", "CCC"], 2023)


def test_real_files_classify_every_row():
    facilities, shares, numbers = loc.read_all(["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "VNM"])
    planned = facilities[facilities["status_class"] == "planned"]
    assert not planned["counts"].any() and len(planned) >= 4  # VSMC, Viettel, Hana-PTT SiC, Indonesian roadmap
    fab = loc.stage_bounds(shares, numbers, ["SGP", "MYS"], loc.FAB)
    assert fab["members"] == {"SGP": 4.7} and fab["upper_pct"] == 13.0
    assert loc.stage_bounds(shares, numbers, ["MYS"], loc.ATP)["members"] == {"MYS": 13.0}


def test_figure_table_joins_headquarters_and_trade_shares():
    hq = pd.DataFrame({"Design": [0.0, 2.0], "Fabrication": [1.0, 0.0], "ATP": [3.0, 0.0]}, index=["AAA", "BBB"])
    trade = pd.Series({"AAA": 4.5, "CCC": 0.2}, name="value_pct").rename_axis("iso3")
    table = loc.figure_table(_grid(), hq, trade).set_index(["iso3", "stage"])
    assert len(table) == len(MEMBERS) * len(STAGES)
    assert table.loc[("AAA", loc.ATP), "hq_share_pct"] == 3.0 and table.loc[("BBB", "design"), "hq_share_pct"] == 2.0
    assert np.isnan(table.loc[("AAA", "equipment"), "hq_share_pct"])  # no headquarters share for that stage
    assert (table.loc["AAA", "trade_share_pct"] == 4.5).all() and np.isnan(table.loc[("BBB", "design"), "trade_share_pct"])


def test_readings_of_the_grid_and_the_stage_bounds():
    from asean_analysis.records import location as records

    text = records.grid_reading(_grid())
    assert text.startswith("Operating plants are recorded in 2 of 6 stages (front-end fabrication: AAA; "
                           "assembly-test-packaging: AAA)")
    assert "Planned only: BBB front-end fabrication, CCC design." in text
    assert text.endswith("no evidence found in any stage: DDD.")
    fab = loc.stage_bounds(loc.share_rows(NUMBERS), NUMBERS, MEMBERS, loc.FAB)
    assert records.influence_reading(fab, ["AAA"]) == (
        "front-end fabrication: operating plants in AAA; members' measured shares of world activity: AAA 4.7%; "
        "all economies outside CHN+TWN+KOR+JPN+USA (five largest) hold at most 13%; "
        "CHN+TWN+KOR+JPN+USA (five largest) hold 87%.")
