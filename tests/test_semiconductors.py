"""Semiconductor exports, HS export definitions, WTO name mapping and CSET/ETO shares."""

import json

import pandas as pd
import pytest

from asean_analysis import claims, load
from asean_analysis.analysis import semiconductors as semi
from asean_analysis.errors import DataError, ParameterError


def INPUTS():
    """The pinned frames export_views computes from."""
    return load.comtrade_hs8542_world(), load.wto_semiconductor_imports(), semi.stage_table()


def _rows(records):
    return pd.DataFrame(records, columns=["reporter_iso3", "partner_iso3", "flow", "year", "value_usd"])


# ---------------------------------------------------------------- loaders and name mapping

def test_comtrade_partner_rows_sum_to_world_rows():
    bilateral = load.comtrade_hs8542().groupby(["reporter_iso3", "flow", "year"])["value_usd"].sum()
    world = load.comtrade_hs8542_world().set_index(["reporter_iso3", "flow", "year"])["value_usd"]
    joined = pd.concat([bilateral, world.reindex(bilateral.index)], axis=1, keys=["partners", "world"])
    assert len(joined) == 24  # six reporters x two years x two flows
    assert (joined["partners"] - joined["world"]).abs().max() < 0.01


def test_comtrade_taiwan_code_is_mapped():
    frame = load.comtrade_hs8542()
    assert "S19" not in set(frame["partner_iso3"])
    assert set(frame.loc[frame["partner_code"] == "490", "partner_iso3"]) == {"TWN"}


def test_every_wto_name_maps_to_iso3():
    raw = load.read("wto-semiconductor-imports")
    names = load.iso3_of_names(list(raw["Reporting Economy"]) + list(raw["Partner Economy"]))
    assert (names["matched_by"] != "unmatched").all(), names[names["matched_by"] == "unmatched"]
    iso3 = dict(zip(names["name"], names["iso3"]))
    assert iso3["Brunei"] == "BRN" and iso3["Laos"] == "LAO" and iso3["Taiwan"] == "TWN"
    assert iso3["Hong Kong"] == "HKG" and iso3["South Korea"] == "KOR" and iso3["European Union"] == "EUU"
    assert names["iso3"].is_unique  # no two names collapse onto one code


def test_unknown_name_is_listed_not_dropped():
    names = load.iso3_of_names(["Malaysia", "Atlantis", "Chinese Taipei"]).set_index("name")
    assert names.loc["Atlantis", "matched_by"] == "unmatched" and names.loc["Atlantis", "iso3"] == ""
    assert names.loc["Chinese Taipei", "iso3"] == "TWN"
    assert names.loc["Malaysia", "iso3"] == "MYS"


def test_wto_loader_refuses_unmapped_names(monkeypatch):
    real = load.read

    def fake(name, **kw):
        frame = real(name, **kw)
        if name == "wto-semiconductor-imports":
            frame.loc[0, "Partner Economy"] = "Atlantis"
        return frame

    monkeypatch.setattr(load, "read", fake)
    with pytest.raises(DataError, match="Atlantis"):
        load.wto_semiconductor_imports()


def test_wto_values_are_dollars():
    wto = load.wto_semiconductor_imports()
    china_from_taiwan = wto[(wto["reporter_iso3"] == "CHN") & (wto["partner_iso3"] == "TWN") & (wto["year"] == 2022)]
    assert china_from_taiwan["value_usd"].iat[0] == pytest.approx(1.15e11, rel=0.05)


# ---------------------------------------------------------------- HS export definitions

def test_stage_mapping_of_definitions():
    table = semi.stage_table()
    assert semi.definition_codes(table, "D1") == ["854231", "854232", "854233", "854239", "854290"]
    d2, d3, d4 = (set(semi.definition_codes(table, d)) for d in ("D2", "D3", "D4"))
    assert set(semi.definition_codes(table, "D1")) < d2
    assert d2 - d3 == {"854140", "854142", "854143"}  # photovoltaic cells/modules (HS2017, HS2022)
    assert {"381800", "848620", "903082", "280461"} <= d4 and d2 < d4
    assert "370790" not in d4


def test_definition_of_a_dataset_from_its_headings():
    table = semi.stage_table()
    assert semi.definitions_of_headings(table, {"8542"}) == ["D1"]
    assert semi.definitions_of_headings(table, {"8541", "8542"}) == ["D2"]
    assert semi.definitions_of_headings(table, {"8541"}) == []


def test_unknown_definition_is_an_error():
    with pytest.raises(ParameterError, match="D9"):
        semi.definition_codes(semi.stage_table(), "D9")


# ---------------------------------------------------------------- export aggregation

def test_exports_by_member_reporter_and_partner_side():
    rows = _rows([
        ("MYS", "USA", "X", 2017, 10.0), ("MYS", "CHN", "X", 2017, 5.0), ("MYS", "USA", "M", 2017, 99.0),
        ("SGP", "MYS", "X", 2017, 2.0), ("USA", "MYS", "M", 2017, 7.0), ("CHN", "MYS", "M", 2017, 3.0),
        ("USA", "DEU", "M", 2017, 50.0),
    ])
    own = semi.exports_by_member(rows, ["MYS", "SGP"], side="reporter").set_index("member")
    assert own.loc["MYS", "value_usd"] == 15.0 and own.loc["MYS", "rows"] == 2
    assert own.loc["SGP", "value_usd"] == 2.0
    mirror = semi.exports_by_member(rows, ["MYS", "SGP"], side="partner").set_index("member")
    assert mirror.loc["MYS", "value_usd"] == 10.0 and "SGP" not in mirror.index
    with pytest.raises(ParameterError):
        semi.exports_by_member(rows, ["MYS"], side="both")


def test_growth_pct_uses_members_present_in_both_years():
    table = pd.DataFrame({"member": ["A", "A", "B", "C"], "year": [2017, 2022, 2017, 2022],
                          "value_usd": [100.0, 150.0, 40.0, 999.0]})
    assert semi.growth_pct(table, 2017, 2022) == pytest.approx(50.0)
    with pytest.raises(DataError, match="2023"):
        semi.growth_pct(table, 2017, 2023)


def test_mirror_view_constant_reporters_and_china_break():
    wto = _rows([
        ("USA", "MYS", "M", 2020, 10.0), ("USA", "MYS", "M", 2021, 12.0),
        ("CHN", "MYS", "M", 2020, 40.0), ("CHN", "MYS", "M", 2021, 20.0),
        ("JPN", "SGP", "M", 2021, 5.0),  # reports only in 2021
    ])
    view = semi.mirror_exports(wto, ["MYS", "SGP", "VNM"], (2020, 2021), exclude_china_break=True,
                               constant_reporters=True)
    assert view.reporters == ("USA",)
    assert semi.growth_pct(view.exports, 2020, 2021) == pytest.approx(20.0)
    assert set(view.excluded["reporter"]) == {"CHN", "JPN"}
    assert view.absent_members == ("VNM",)
    every = semi.mirror_exports(wto, ["MYS", "SGP"], (2020, 2021), exclude_china_break=False, constant_reporters=False)
    assert every.excluded.empty
    assert every.exports.set_index(["member", "year"]).loc[("MYS", 2020), "value_usd"] == 50.0


def test_mirror_view_lists_each_left_out_importer_with_its_rows_from_members_on_real_data():
    wto, members = load.wto_semiconductor_imports(), ["IDN", "MYS", "PHL", "SGP", "THA", "VNM"]
    view = semi.mirror_exports(wto, members, (2018, 2021), exclude_china_break=True, constant_reporters=True)
    partial = view.excluded[view.excluded["reason"] == "does not report every year of the window"].set_index("reporter")
    assert len(partial) > 5 and (partial["value_usd_from_members"] == 0).any()  # with and without trade from members
    window = wto[wto["year"].between(2018, 2021) & ~((wto["reporter_iso3"] == "CHN") & (wto["year"] >= semi.CHINA_BREAK_YEAR))]
    for reporter, row in partial.iterrows():
        mine = window[(window["reporter_iso3"] == reporter) & window["partner_iso3"].isin(members)]
        assert row["value_usd_from_members"] == float(mine["value_usd"].sum()), reporter
        assert row["years"] == ",".join(map(str, sorted(set(window.loc[window["reporter_iso3"] == reporter, "year"]))))


def test_base_year_table_covers_every_pair_in_both_views():
    reporter = pd.DataFrame({"member": ["A", "A", "B", "B"], "year": [2017, 2022, 2017, 2022],
                             "value_usd": [100.0, 150.0, 100.0, 250.0]})
    wto = _rows([("USA", "A", "M", 2017, 10.0), ("USA", "A", "M", 2018, 12.0), ("USA", "A", "M", 2019, 15.0),
                 ("JPN", "A", "M", 2017, 5.0), ("JPN", "A", "M", 2019, 50.0)])  # JPN misses 2018
    table = semi.base_year_table(reporter, wto, ["A", "B"], exclude_china_break=True, constant_reporters=True)
    pairs = table.set_index(["view", "start", "end"])
    assert list(table["view"]) == ["reporter"] + ["mirror"] * 3 + ["mirror, fixed importers"] * 3
    fixed = table[table["view"] == "mirror, fixed importers"].set_index(["start", "end"])
    assert fixed.loc[(2017, 2018), "growth_pct"] == pytest.approx(20.0) and (fixed["importers"] == 1).all()
    assert pairs.loc[("reporter", 2017, 2022), "growth_pct"] == pytest.approx(100.0)
    assert pairs.loc[("mirror", 2017, 2018), "growth_pct"] == pytest.approx(20.0)  # JPN does not report 2018
    # JPN misses 2018, inside the 2017-2019 window: left out there too (constant importers per pair)
    assert pairs.loc[("mirror", 2017, 2019), "growth_pct"] == pytest.approx(50.0)
    assert pairs.loc[("mirror", 2017, 2019), "importers"] == 1
    assert pairs.loc[("mirror", 2018, 2019), "per_year_pct"] == pytest.approx(25.0)
    assert pairs.loc[("mirror", 2017, 2019), "per_year_pct"] == pytest.approx(100 * (1.5 ** 0.5 - 1))
    every = semi.base_year_table(reporter, wto, ["A", "B"], exclude_china_break=True, constant_reporters=False)
    assert every.set_index(["view", "start", "end"]).loc[("mirror", 2017, 2019), "growth_pct"] == pytest.approx(
        100 * (65 / 15 - 1))
    end = semi.to_claim_end(table, 2018, 2021, asserted=50.0).iloc[0]
    assert (end["view"], end["last_year"], end["missing_years"]) == ("mirror", 2019, "2020-2021")
    assert end["needed_change_to_year_pct"] == pytest.approx(100 * (1.5 / 1.25 - 1))
    assert semi.to_claim_end(table, 2016, 2021, asserted=50.0).empty  # no view starts in 2016


def test_group_weight_and_minimal_tests():
    exports = pd.DataFrame({"member": ["A", "A", "B", "B", "C", "C"], "year": [2017, 2022] * 3,
                            "value_usd": [100.0, 190.0, 0.5, 1.0, 0.0, 9.0]})
    weight = semi.group_weight(exports, ["B", "C"], 2017, 2022)
    assert weight["share_of_exports_pct"] == pytest.approx(5.0)
    assert weight["share_of_growth_pct"] == pytest.approx(100 * 9.5 / 99.5)
    absent = semi.group_weight(exports, ["D"], 2017, 2022)
    assert absent["share_of_exports_pct"] is None and absent["present"] == []
    tests = semi.minimal_tests({"mirror": weight, "reporter": absent}, ["B", "C"], 6.0, 2017, 2022)
    assert list(tests.values()) == [True, False]  # a view that cannot see the group gives no test, not "not met"


def test_baci_path_end_to_end_on_two_years(tmp_path):
    """SEMI-1/2 opt-in path: BACI-format year files -> members' exports by definition -> level and growth."""
    rows = {2018: ["2018,458,842,854231,100.0,1", "2018,458,156,854110,50.0,1", "2018,702,842,854239,300.0,1",
                   "2018,458,842,870323,999.0,1", "2018,842,458,854231,777.0,1"],
            2023: ["2023,458,842,854231,160.0,1", "2023,458,156,854110,40.0,1", "2023,702,842,854239,420.0,1",
                   "2023,702,156,854190,20.0,1"]}
    for year, lines in rows.items():
        (tmp_path / f"BACI_HS17_Y{year}_V202501.csv").write_text("t,i,j,k,v,q\n" + "\n".join(lines) + "\n",
                                                                 encoding="utf-8")
    (tmp_path / "country_codes_V202501.csv").write_text(
        "country_code,country_name,country_iso2,country_iso3\n458,Malaysia,MY,MYS\n702,Singapore,SG,SGP\n"
        "842,USA,US,USA\n156,China,CN,CHN\n", encoding="utf-8")
    d1 = semi.baci_exports(tmp_path, [2018, 2023], ["MYS", "SGP"], "D1").set_index(["member", "year"])["value_usd"]
    assert d1.to_dict() == {("MYS", 2018): 100_000.0, ("MYS", 2023): 160_000.0,
                            ("SGP", 2018): 300_000.0, ("SGP", 2023): 420_000.0}  # v in thousands of US$
    d2 = semi.baci_exports(tmp_path, [2018, 2023], ["MYS", "SGP"], "D2")
    assert semi.growth_pct(d2, 2018, 2023) == pytest.approx(100 * (640 / 450 - 1))  # 8541 codes added, 8703 not
    assert semi.growth_pct(d1.reset_index(), 2018, 2023) == pytest.approx(45.0)
    with pytest.raises(DataError, match="Y2022"):
        semi.baci_exports(tmp_path, [2022], ["MYS"], "D1")


def test_data_window():
    assert semi.data_window({2017, 2022}, 2018, 2023) == (2017, 2022)
    assert semi.data_window(set(range(2017, 2023)), 2018, 2023) == (2017, 2022)
    assert semi.data_window(set(range(2017, 2024)), 2018, 2023) == (2018, 2023)
    assert semi.data_window({2019, 2022}, 2017, 2022) == (2019, 2022)
    assert semi.data_window({2017, 2022}, 2018, 2022) == (2017, 2022)  # no year inside: lengthened, not empty
    with pytest.raises(DataError, match="no year before 2022"):
        semi.data_window({2022}, 2018, 2022)


def test_reporter_view_on_real_data():
    views = semi.export_views(*INPUTS(), ["IDN", "MYS", "PHL", "SGP", "THA", "VNM"], 2023, 2018, exclude_china_break=True,
                              constant_reporters=True)
    assert views.window == (2017, 2022)
    assert (views.reporter_definition, views.mirror_definition) == ("D1", "D2")
    world = load.comtrade_hs8542_world()
    asean_x = world[(world["flow"] == "X") & world["reporter_iso3"].isin(["IDN", "MYS", "PHL", "SGP", "THA", "VNM"])]
    for year in (2017, 2022):
        expected = asean_x.loc[asean_x["year"] == year, "value_usd"].sum()
        assert views.reporter.loc[views.reporter["year"] == year, "value_usd"].sum() == pytest.approx(expected)
    assert 200e9 < expected < 300e9
    assert "CHN" not in views.mirror.reporters
    with pytest.raises(ParameterError):
        semi.export_views(*INPUTS(), ["MYS"], 2018, 2018, exclude_china_break=True, constant_reporters=True)


def test_level_estimates_complete_the_transcribed_2023_figures():
    views = semi.export_views(*INPUTS(), ["IDN", "MYS", "PHL", "SGP", "THA", "VNM"], 2023, 2018, exclude_china_break=True,
                              constant_reporters=True)
    levels = semi.level_estimates(views, semi.transcribed())
    pair = levels[levels["same_members"]].set_index("definition")
    world = load.comtrade_hs8542_world()
    fill = world[(world["flow"] == "X") & (world["year"] == 2022) & world["reporter_iso3"].isin(["IDN", "THA"])]
    ic = 104.5 + 74.8 + 26.0 + 32.6  # The Business Times 2023: SGP, MYS, PHL, VNM
    devices = 12.8 + 10.2 + 1.3 + 8.2
    assert pair.loc["D1", "value_bn"] == pytest.approx(ic + fill["value_usd"].sum() / 1e9)
    assert pair.loc["D2", "value_bn"] == pytest.approx(ic + devices + fill["value_usd"].sum() / 1e9)
    assert pair.loc["D2", "bound"] == "lower bound"
    assert set(pair["members_covered"]) == {"IDN, MYS, PHL, SGP, THA, VNM"}


# ---------------------------------------------------------------- forecasts

def test_cagr_arithmetic():
    assert semi.cagr_pct(100, 200, 1) == pytest.approx(100.0)
    assert semi.cagr_pct(100, 121, 2) == pytest.approx(10.0)
    with pytest.raises(ParameterError):
        semi.cagr_pct(0, 1, 2)


def test_published_forecasts_do_not_give_the_article_rate():
    forecasts = semi.forecast_cagrs(semi.transcribed()).set_index("start")
    assert forecasts.loc[2020, "implied_cagr_pct"] == pytest.approx(100 * ((41.88 / 26.91) ** (1 / 8) - 1))
    assert forecasts.loc[2020, "stated_cagr_pct"] == pytest.approx(6.1)
    assert forecasts.loc[2024, "implied_cagr_pct"] == pytest.approx(10.44, abs=0.01)
    assert (forecasts["implied_cagr_pct"].round(2) != 5.98).all()


# ---------------------------------------------------------------- CSET/ETO shares

def test_eto_shares_and_malaysia_code():
    shares = semi.eto_shares()
    assert "MAL" not in set(shares["provider"]) and "MYS" in set(shares["provider"])
    matrix = semi.stage_matrix(shares)
    assert list(matrix.columns) == ["Design", "Fabrication", "ATP"]
    assert ((matrix.sum() - 100).abs() <= 2).all()  # rounded shares add up to about 100
    assert semi.leader(shares, "S1") == ("USA", 61.0)
    assert semi.leader(shares, "N84")[0] == "USA"


def test_criteria_on_a_small_matrix():
    matrix = pd.DataFrame({"Design": [70, 0, 30], "Fabrication": [20, 0, 80], "ATP": [40, 10, 50]},
                          index=["USA", "MYS", "TWN"])
    assert list(semi.dominance(matrix, ["USA"]).values()) == [True, False, False]
    assert semi.group_share(matrix, ["USA", "TWN", "KOR"])["ATP"] == 90


def test_east_asia_includes_taiwan():
    assert {"CHN", "JPN", "KOR", "TWN", "HKG"} <= set(semi.east_asia())
    assert "SGP" not in semi.east_asia()


# ---------------------------------------------------------------- ledger

def test_export_claims_not_verifiable_for_the_period(ledger):
    for cid in ("SEMI-1", "SEMI-2"):  # public data for 2023 exist (Comtrade, BACI) but are not pinned here
        assert ledger.loc[cid, "verdict"] == "not_verifiable_data_not_in_mirror"
    assert "2022" in ledger.loc["SEMI-1", "explanation"] and "lies between" in ledger.loc["SEMI-1", "explanation"]
    six = ["IDN", "MYS", "PHL", "SGP", "THA", "VNM"]
    reporter_growth = semi.growth_pct(semi.exports_by_member(load.comtrade_hs8542_world(), six, side="reporter"), 2017, 2022)
    assert 50 < reporter_growth < 100
    assert f"{reporter_growth:+.1f}%" in ledger.loc["SEMI-2", "explanation"]
    assert ledger.loc["SEMI-3", "reason"].startswith("projection")
    assert "1.591" in ledger.loc["SEMI-3", "explanation"]


def test_value_chain_verdicts_follow_the_data(ledger):
    registry = claims.registry()
    shares = semi.eto_shares()
    matrix = semi.stage_matrix(shares)
    expected = {
        "SEMI-4": semi.us_leads(shares),
        "SEMI-6": semi.dominance(matrix, sorted({"USA", *semi.east_asia()})),
    }
    for cid, tests in expected.items():
        assert ledger.loc[cid, "verdict"] == claims.evaluate(registry[cid], tests)["verdict"]
    for cid in ("SEMI-5a", "SEMI-5b"):  # location basis: computed readings, not the 0 % vs 0 % of firm headquarters
        tests = json.loads(ledger.loc[cid, "computed"])
        presence = [v for k, v in tests.items() if k.startswith("operating")]
        assert len(tests) == 3 and presence == [True]
        assert ledger.loc[cid, "verdict"] == claims.evaluate(registry[cid], tests)["verdict"]
    assert "outside" in ledger.loc["SEMI-5a", "explanation"] and "13%" in ledger.loc["SEMI-5b", "explanation"]


# ---------------------------------------------------------------- tables for the notebook, and its computed readings

SIX = ["IDN", "MYS", "PHL", "SGP", "THA", "VNM"]


def test_definitions_table_counts_codes_and_headings():
    table = semi.definitions_table(semi.stage_table()).set_index("definition")
    assert table.loc["D1"].tolist() == [5, "8542"]
    assert table.loc["D2", "headings"] == "8541, 8542"
    assert table.loc["D2", "hs6_codes"] == len(semi.definition_codes(semi.stage_table(), "D2"))


def test_growth_by_member_chart_table_and_weights():
    views = semi.ExportViews(
        reporter=pd.DataFrame({"member": ["A", "A", "B", "B"], "year": [2017, 2022] * 2, "value_usd": [1e9, 2e9, 4e9, 5e9]}),
        reporter_definition="D1",
        mirror=semi.MirrorView(pd.DataFrame({"member": ["A", "A", "C", "C"], "year": [2017, 2022] * 2,
                                             "value_usd": [2e9, 3e9, 1e9, 1e9]}), ("X", "Y"), pd.DataFrame(), ("B",)),
        mirror_level=None, mirror_definition="D2", window=(2017, 2022), members=("A", "B", "C"))
    growth = semi.growth_by_member(views)
    assert growth.loc["A"].tolist() == [100.0, 50.0] and growth.loc["B", "reporter"] == 25.0
    assert pd.isna(growth.loc["B", "mirror"]) and pd.isna(growth.loc["C", "reporter"]) and growth.loc["C", "mirror"] == 0
    chart = semi.chart_table(views)
    assert chart.groupby("view")["value_bn"].sum().to_dict() == {"mirror view, D2 (HS 8541+8542); absent: B": 7.0,
                                                                 "reporter view, D1 (HS 8542)": 12.0}
    weights = semi.view_weights(views, ["B"])
    assert weights["reporter"]["share_of_exports_pct"] == pytest.approx(100 * 5 / 7)
    assert weights["reporter"]["share_of_growth_pct"] == pytest.approx(50.0)
    assert weights["mirror"] == {"present": [], "share_of_exports_pct": None, "share_of_growth_pct": None}


def test_stage_long_orders_providers_and_drops_zeros():
    matrix = pd.DataFrame({"Design": [10.0, 60.0, 0.0], "ATP": [30.0, 5.0, 2.0]},
                          index=pd.Index(["A", "B", "C"], name="provider")).rename_axis(columns="provided_id")
    long = semi.stage_long(matrix)
    assert long["provider"].tolist() == ["B", "A", "B", "A", "C"]
    assert long.columns.tolist() == ["provider", "stage", "share_pct"] and (long["share_pct"] > 0).all()


def test_readings_state_the_computed_numbers():
    from asean_analysis.records import semiconductors as records

    views = semi.export_views(*INPUTS(), SIX, 2023, 2018, exclude_china_break=True, constant_reporters=True)
    levels = semi.level_estimates(views, semi.transcribed())
    text = records.level_reading(views, levels, year=2023, asserted=268.8)
    pair = levels[levels["same_members"]].set_index("definition")["value_bn"]
    own = views.reporter.loc[views.reporter["year"] == 2022, "value_usd"].sum() / 1e9
    assert f"total {own:.1f} bn for 6 members" in text
    assert f"{pair['D1']:.1f} bn of ICs and at least {pair['D2']:.1f} bn" in text
    assert ("lies between them" in text) == (pair["D1"] <= 268.8 <= pair["D2"])
    growth = semi.growth_estimates(views)
    pairs = semi.base_year_table(views.reporter, load.wto_semiconductor_imports(), SIX, exclude_china_break=True,
                                 constant_reporters=True)
    to_end = semi.to_claim_end(pairs, 2018, 2023, 42)
    text = records.growth_reading(growth, to_end, window=views.window, base_year=2018, year=2023, asserted=42)
    assert "2018-2023 is not covered; the data give 2017-2022" in text and "(7.3% a year)" in text
    assert f"{growth.iloc[0]['growth_pct']:+.1f}% in the reporter view" in text
    mirror = to_end.set_index("view").loc["mirror"]
    assert f"would need {mirror['needed_change_to_year_pct']:+.1f}% in 2023" in text


def test_ahead_tests_use_a_lower_bound_only_when_it_decides():
    mirror = pd.DataFrame({"member": ["THA", "KHM", "LAO"], "year": [2022] * 3, "value_usd": [20.0, 1.0, 30.0]})
    reporter = pd.DataFrame({"member": ["VNM"], "year": [2022], "value_usd": [10.0]})
    tests = semi.ahead_tests(mirror, reporter, ["THA", "VNM"], ["KHM", "LAO", "MMR"], 2022)
    assert tests == {"THA exports more semiconductors than KHM (2022)": True,
                     "THA exports more semiconductors than LAO (2022)": False,
                     "THA exports more semiconductors than MMR (2022)": None,  # MMR has no value: not evaluable
                     "VNM exports more semiconductors than KHM (2022)": True,  # its lower bound 10 > 1 decides
                     "VNM exports more semiconductors than LAO (2022)": None,  # 10 < 30 decides nothing
                     "VNM exports more semiconductors than MMR (2022)": None}
