"""Figure 2: the trade network, total degree and the BACI loader, checked on hand-made cases and real data."""

import json

import pandas as pd
import pytest

from asean_analysis import baci, load
from asean_analysis.analysis import network
from asean_analysis.errors import DataError, ParameterError

# Reporter-declared rows of two reporters A and B (C and D do not report; E never appears).
DECLARED = pd.DataFrame(
    [("A", "B", "X", 10.0), ("A", "C", "X", 1.0), ("A", "D", "M", 50.0), ("A", "A", "M", 3.0), ("A", "_X", "X", 7.0),
     ("B", "A", "M", 12.0), ("B", "A", "X", 5.0)],
    columns=["reporter_iso3", "partner_iso3", "flow", "value_usd"],
).assign(year=2020, hs_code="8542")
MEMBERS = ["A", "B", "C", "D", "E"]


def _degrees(edges, **kw):
    return network.degrees(edges, MEMBERS, [2020], "HS 8542", **kw).set_index("iso3")


def test_total_degree_on_a_hand_checked_graph():
    edges = network.reporter_edges(DECLARED)
    # the self-loop (A re-imports) and the "Areas, nes" row are excluded and shown, not dropped silently
    assert sorted(edges.excluded["reason"].str.split(" ").str[0]) == ["partner", "re-import/re-export"]
    g = network.graph(edges, 2020, "HS 8542")
    assert sorted(g.edges) == [("A", "B"), ("A", "C"), ("B", "A"), ("D", "A")]
    assert g["A"]["B"]["value_usd"] == 12.0  # declared by both sides: the larger declaration
    d = _degrees(edges)
    assert d.loc["A", ["in_degree", "out_degree", "total_degree"]].tolist() == [2, 2, 4]
    assert d.loc["B", "total_degree"] == 2 and d.loc["C", "total_degree"] == 1 and d.loc["D", "total_degree"] == 1
    assert d["coverage"].to_dict() == {"A": "reports", "B": "reports", "C": "lower bound", "D": "lower bound",
                                       "E": "not covered"}
    assert pd.isna(d.loc["E", "total_degree"])


def test_minimum_link_value_drops_small_links():
    d = _degrees(network.reporter_edges(DECLARED), min_value=10.0)
    assert d["total_degree"].dropna().to_dict() == {"A": 2, "B": 1, "C": 0, "D": 1}


def test_partners_that_do_not_report_can_be_left_out():
    d = _degrees(network.reporter_edges(DECLARED), count_nonreporting=False)
    assert d.loc["A", "total_degree"] == 2  # only B counts; D and C do not report
    assert d.loc["C", "total_degree"] == 1  # a non-reporter's partners are reporters anyway


def test_mirror_view_reverses_importer_declarations():
    imports = pd.DataFrame({"reporter_iso3": ["B", "B", "C"], "partner_iso3": ["A", "D", "A"],
                            "year": 2020, "hs_code": "8541+8542", "value_usd": [1.0, 2.0, 3.0]})
    edges = network.mirror_edges(imports)
    g = network.graph(edges, 2020, "HS 8541+8542")
    assert sorted(g.edges) == [("A", "B"), ("A", "C"), ("D", "B")]
    d = network.degrees(edges, ["A", "B"], [2020], "HS 8541+8542").set_index("iso3")
    assert d.loc["A", "out_degree"] == 2 and d.loc["A", "coverage"] == "lower bound"  # A imports nothing it reports
    assert d.loc["B", "in_degree"] == 2 and d.loc["B", "coverage"] == "reports"


def test_bad_selections_name_the_fix():
    edges = network.reporter_edges(DECLARED)
    with pytest.raises(ParameterError, match="covers: 2020"):
        network.graph(edges, 2017, "HS 8542")
    with pytest.raises(ParameterError, match="it has: HS 8542"):
        network.resolve_product(edges, "equipment")
    with pytest.raises(ParameterError, match=">= 0"):
        network.graph(edges, 2020, "HS 8542", min_value=-1)
    with pytest.raises(DataError, match="lacks columns"):
        network.reporter_edges(DECLARED.drop(columns="flow"))


def test_lowest_and_bottom_group_tests():
    table = pd.DataFrame({"iso3": ["A", "B", "C", "D", "E"], "total_degree": [9, 7, 2, 3, pd.NA],
                          "coverage": ["reports"] * 4 + ["not covered"]})
    assert network.lowest_tests(table, ["C", "D"], {"C": "Cee"}, "t") == ({
        "Cee below every member outside the named group (t)": True, "D below every member outside the named group (t)": True}, {})
    assert list(network.bottom_group_test(table, ["C", "B"], "t")[0].values()) == [False]
    assert list(network.bottom_group_test(table, ["C", "D"], "t")[0].values()) == [True]
    assert list(network.bottom_group_test(table, ["C", "E"], "t")[0].values()) == [None]  # E not covered


def test_lower_bounds_are_not_confirming_tests():
    table = pd.DataFrame({"iso3": ["A", "B", "C", "D", "E"], "total_degree": [9, 7, 2, 8, pd.NA],
                          "coverage": ["reports", "reports", "lower bound", "lower bound", "not covered"]})
    tests, by_construction = network.lowest_tests(table, ["C", "D", "E"], {}, "t")
    assert list(by_construction) == ["C below every member outside the named group (t)"]  # 2 >= true degree: unknown
    assert tests == {"D below every member outside the named group (t)": False,  # a lower bound of 8 already > 7
                     "E below every member outside the named group (t)": None}  # not covered: not evaluable
    tests, by_construction = network.bottom_group_test(table.iloc[[0, 1, 2]], ["C"], "t")
    assert tests == {} and len(by_construction) == 1


def test_mirror_degrees_match_an_independent_count():
    """The network's total degree equals distinct partners counted directly in the WTO file."""
    imports = load.wto_semiconductor_imports()
    edges = network.mirror_edges(imports)
    d = network.degrees(edges, ["LAO", "MYS", "VNM"], [2017, 2022], "HS 8541+8542").set_index(["year", "iso3"])
    rows = imports[imports["reporter_iso3"] != imports["partner_iso3"]]
    for year in (2017, 2022):
        y = rows[rows["year"] == year]
        for code in ("LAO", "MYS"):
            expected = y.loc[y["partner_iso3"] == code, "reporter_iso3"].nunique() + \
                y.loc[y["reporter_iso3"] == code, "partner_iso3"].nunique()
            assert d.loc[(year, code), "total_degree"] == expected
    assert d.loc[(2022, "VNM"), "coverage"] == "not covered"  # Viet Nam is absent from the WTO file


def test_reporter_view_sees_non_reporters_only_through_six_reporters():
    edges = network.reporter_edges(load.comtrade_hs8542())
    d = network.degrees(edges, ["BRN", "KHM", "LAO", "MMR", "SGP"], [2022], "HS 8542").set_index("iso3")
    assert (d.loc[["BRN", "KHM", "LAO", "MMR"], "total_degree"] <= 12).all()
    assert (d.loc[["BRN", "KHM", "LAO", "MMR"], "coverage"] == "lower bound").all()
    assert d.loc["SGP", "total_degree"] > 200


# ---------------------------------------------------------------- BACI (fixture in BACI format)

def _baci_fixture(folder):
    (folder / "BACI_HS17_Y2017_V202501.csv").write_text(
        "t,i,j,k,v,q\n2017,458,702,854231,100.5,1\n2017,458,702,854239,10,1\n2017,458,96,854231,1,1\n"
        "2017,702,458,848620,5,1\n2017,458,702,10121,99,1\n", encoding="utf-8")
    (folder / "country_codes_V202501.csv").write_text(
        "country_code,country_name,country_iso2,country_iso3\n458,Malaysia,MY,MYS\n702,Singapore,SG,SGP\n96,Brunei,BN,BRN\n",
        encoding="utf-8")


def test_baci_loader_filters_stage_codes_and_feeds_the_network(tmp_path):
    _baci_fixture(tmp_path)
    definitions = load.read("hs-stage-definitions", dtype_str=True)
    codes = baci.stage_codes(definitions, "integrated_circuits_8542")
    assert codes == ["854231", "854232", "854233", "854239", "854290"]
    flows = baci.stage_flows(tmp_path, [2017], codes, "integrated_circuits_8542")
    assert flows[["exporter", "importer"]].values.tolist() == [["MYS", "BRN"], ["MYS", "SGP"]]
    assert flows["value_usd"].tolist() == pytest.approx([1000.0, 110500.0])  # thousands of US$ -> US$
    d = network.degrees(network.flow_edges(flows), ["MYS", "SGP", "BRN"], [2017], "integrated_circuits_8542")
    d = d.set_index("iso3")
    assert d["total_degree"].to_dict() == {"MYS": 2, "SGP": 1, "BRN": 1}
    assert (d["coverage"] == "reports").all()  # reconciled flows: an economy that only imports is fully seen too


def test_baci_loader_errors(tmp_path):
    _baci_fixture(tmp_path)
    with pytest.raises(DataError, match=r"BACI_HS17_Y2018_V202501\.csv is missing"):
        baci.stage_flows(tmp_path, [2018], ["854231"], "x")
    (tmp_path / "BACI_HS17_Y2019_V202501.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="expected"):
        baci.stage_flows(tmp_path, [2019], ["854231"], "x")
    with pytest.raises(ParameterError, match="unknown stage"):
        baci.stage_codes(load.read("hs-stage-definitions", dtype_str=True), "design")
    with pytest.raises(ParameterError, match="sha256"):
        baci.fetch(tmp_path)  # refuses before any download


# ---------------------------------------------------------------- ledger

def test_figure2_claims_are_computed(ledger):
    for claim in ("SEMI-7", "FIG-2"):  # every counted test holds in the mirror view
        assert all(json.loads(ledger.loc[claim, "computed"]).values()) == (ledger.loc[claim, "verdict"] == "supported"), claim
    assert ledger.loc["SRC-1", "verdict"] == "not_verifiable_source_not_found"
    assert ledger.loc["SRC-1", "reason"].startswith("source_not_found")
    assert "Prabheesh" in ledger.loc["SRC-1", "explanation"]
    tests = json.loads(ledger.loc["SEMI-7", "computed"])
    assert len(tests) == 4 and all("mirror view, 2022" in k for k in tests)  # one test per named member
    fig2 = json.loads(ledger.loc["FIG-2", "computed"])
    assert fig2 and not any("reporter view" in k for k in fig2)  # reporter-view results rest on lower bounds


# ---------------------------------------------------------------- several views; a year one view lacks

def _two_views():
    reporter = network.reporter_edges(DECLARED.assign(year=2017))
    mirror_rows = pd.DataFrame({"reporter_iso3": ["B", "B", "C", "B"], "partner_iso3": ["A", "D", "A", "A"],
                                "year": [2017, 2017, 2017, 2021], "hs_code": "8541+8542", "value_usd": 1.0})
    return {"reporter": reporter, "mirror": network.mirror_edges(mirror_rows)}


def test_a_view_lacking_a_year_is_left_out_and_named():
    views = _two_views()
    assert network.lacking_years(views, [2017, 2021]) == {"reporter": [2021]}
    assert network.lacking_years(views, [2017]) == {}
    table = network.degree_table(views, MEMBERS, [2017, 2021])
    assert set(table["view"]) == {"mirror"}
    d = table[table["year"] == 2021].set_index("iso3")
    assert d.loc["A", "total_degree"] == 1 and d.loc["B", "total_degree"] == 1 and d.loc["D", "total_degree"] == 0
    with pytest.raises(ParameterError, match="reporter covers 2017; mirror covers 2017, 2021"):
        network.degree_table(views, MEMBERS, [2017, 2022])


def test_tests_of_a_lacking_view_are_not_evaluable():
    views = _two_views()
    lacking = network.lacking_years(views, [2017, 2021])
    table = network.degree_table(views, MEMBERS, [2017, 2021])
    tests, built = network.named_lowest(table, "reporter", 2021, ["C", "D"], {}, lacking)
    assert tests == {"C below every member outside the named group (reporter view, 2021: not in the data)": None,
                     "D below every member outside the named group (reporter view, 2021: not in the data)": None}
    assert not built
    tests, built = network.named_lowest(table, "mirror", 2021, ["C", "D"], {}, lacking)
    assert tests == {} and len(built) == 2  # C and D do not report: 0 partners is a lower bound, not evidence
    tests, built = network.named_lowest(table, "mirror", 2021, ["A"], {}, lacking)
    assert list(tests.values()) == [False]  # A has as many partners as B
    assert network.named_lowest(table, "mirror", 2021, ["X"], {}, lacking) == ({}, {})  # outside the member set
    tests, built = network.bottom_group_everywhere(table, ["C", "D"], lacking)
    assert tests == {"the 2 named members have the lowest total degrees (reporter view, 2021: not in the data)": None}
    assert sorted(built) == ["the 2 named members have the lowest total degrees (mirror view, 2017)",
                             "the 2 named members have the lowest total degrees (mirror view, 2021)"]


def test_constant_reporters_apply_only_to_views_holding_the_years():
    views = network.with_constant_reporters(_two_views(), [2017, 2021])
    assert set(views["mirror"].table["reported_by"]) == {"B"}  # C reports in 2017 only
    assert len(views["reporter"].table) == len(_two_views()["reporter"].table)  # lacks 2021: unchanged


def test_robustness_counts_and_degree_grid():
    robust = pd.DataFrame({"view": ["m", "m", "m", "r"], "named_four_lowest": [True, False, "by construction", None]})
    counts = network.robustness_counts(robust)
    assert counts.loc["m"].tolist() == [1, 1, 3] and counts.loc["r"].tolist() == [0, 0, 1]
    table = network.degree_table(_two_views(), MEMBERS, [2017, 2021])
    grid = network.degree_grid(table[table["view"] == "mirror"])
    assert grid.loc["B", 2017] == "2" and grid.loc["C", 2017] == "1" and grid.loc["D", 2021] == "≥0"
    assert grid.loc["E", 2017] == ""  # not covered: no number


def test_real_views_answer_2021_in_the_mirror_view_only():
    views = {"reporter": network.reporter_edges(load.comtrade_hs8542()),
             "mirror": network.mirror_edges(load.wto_semiconductor_imports())}
    members = ["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "VNM"]
    lacking = network.lacking_years(views, [2017, 2021])
    assert lacking == {"reporter": [2021]}
    table = network.degree_table(views, members, [2017, 2021])
    tests, _ = network.bottom_group_everywhere(table, ["BRN", "KHM", "LAO", "MMR"], lacking)
    mirror_2021 = table[(table["view"] == "mirror") & (table["year"] == 2021)].set_index("iso3")["total_degree"]
    assert mirror_2021[["BRN", "KHM", "LAO", "MMR"]].max() < mirror_2021.drop(["BRN", "KHM", "LAO", "MMR"]).min()
    assert tests["the 4 named members have the lowest total degrees (mirror view, 2021)"] is True
    assert tests["the 4 named members have the lowest total degrees (reporter view, 2021: not in the data)"] is None


def test_network_readings_state_the_computed_degrees():
    from asean_analysis.records import network as records

    views = _two_views()
    lacking = network.lacking_years(views, [2017, 2021])
    table = network.degree_table(views, MEMBERS, [2017, 2021])
    text = records.reading(table, ["C", "D"], lacking)
    assert text.startswith("mirror view, 2017: the 2 lowest are C 1, D >=1; the named members hold the lowest "
                           "degrees only by construction (lower bounds).")
    assert text.endswith("reporter view: no 2021 in the data, not evaluable there.")
    assert "mirror view, 2021: the 2 lowest are C >=0, D >=0" in records.reading(table, ["C", "D"], {})
    assert records.views_text(views, lacking, [2017, 2021]).splitlines()[0].endswith("years of [2017, 2021] it lacks: [2021]")
    moves = network.movement(table, 2017, 2021)
    assert records.moves_summary(moves, 2021) == ("mirror view 2021: most partners B (1), fewest C (0); "
                                                 "0 members gained partners, 4 lost some.")
    assert records.changes_text(moves, 2017, 2021) == ("degree change 2017 -> 2021 (mirror view): A -1 (lower bound), "
                                                      "B -1, C -1 (lower bound), D -1 (lower bound)")


def _robustness_from_scratch(views, members, named, years, floors=(0.0, 1e5, 1e6)):
    """The reference: a degree table built from scratch for every floor, partner rule and reporter set."""
    rows = []
    for constant in (False, True):
        chosen = network.with_constant_reporters(views, years) if constant else views
        for floor in floors:
            for counted in (True, False):
                table = network.degree_table(chosen, members, years, min_value=floor, count_nonreporting=counted)
                rows += [{"view": name, "year": y, "min_link_usd": floor, "count_nonreporting": counted,
                          "constant_reporters": constant, **network.bottom_group_outcome(part, named)}
                         for (name, y), part in table.groupby(["view", "year"])]
    return pd.DataFrame(rows).sort_values(["view", "min_link_usd", "count_nonreporting", "constant_reporters", "year"],
                                          ignore_index=True)


@pytest.mark.parametrize("years", [[2017, 2022], [2017, 2021]])
def test_robustness_equals_every_variant_from_scratch_on_real_data(years):
    views = {"reporter": network.reporter_edges(load.comtrade_hs8542()),
             "mirror": network.mirror_edges(load.wto_semiconductor_imports())}
    members = ["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "VNM"]
    robust = network.robustness(views, members, ["BRN", "KHM", "LAO", "MMR"], years)
    pd.testing.assert_frame_equal(robust, _robustness_from_scratch(views, members, ["BRN", "KHM", "LAO", "MMR"], years),
                                  check_exact=True)
    assert robust["lowest_four"].nunique() > 1  # the variants differ: a real comparison


def test_robustness_on_hand_made_views_and_without_a_view_holding_the_years():
    views = _two_views()
    pd.testing.assert_frame_equal(network.robustness(views, MEMBERS, ["C", "D"], [2017, 2021], (0.0, 2.0)),
                                  _robustness_from_scratch(views, MEMBERS, ["C", "D"], [2017, 2021], (0.0, 2.0)))
    with pytest.raises(ParameterError, match="no view holds every year of"):
        network.robustness(views, MEMBERS, ["C", "D"], [2017, 2022])
