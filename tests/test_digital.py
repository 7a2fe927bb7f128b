"""Digital economy, DEFA and dated facts: transcribed rows, arithmetic, article parsing, ledger."""

import math

import pandas as pd
import pytest

from asean_analysis import load, members
from asean_analysis.analysis import digital
from asean_analysis.errors import DataError


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return digital.figures()


@pytest.fixture(scope="module")
def mirror() -> pd.DataFrame:
    return load.read("digital-transcribed-figures", dtype_str=True).fillna("")


# ------------------------------------------------------------------ the transcribed table

def test_every_row_is_cited_with_an_edition(table):
    for column in (*digital.CITATION, "edition", "id", "unit", "value"):
        assert (table[column].str.strip() != "").all(), f"a row lacks {column}"
    assert table["url"].str.match(r"https?://").all()
    assert table["id"].is_unique


@pytest.mark.parametrize("row_id, expected", [
    ("ECS24-GMV", 263), ("ECS24-GMV-GROWTH", 15), ("ECS24-REV", 89), ("ECS24-REV-GROWTH", 14),
    ("ECS24-PROFIT", 11), ("ECS24-PROFIT-GROWTH", 24), ("ECS18-GMV-2018", 72), ("ECS18-GMV-2015", 32),
    ("DEFA-STUDY-2023", 300), ("DEFA-STUDY-BAU-2030", 1000), ("DEFA-STUDY-DEFA-2030", 2000), ("DEFA-ELEMENTS-COUNT", 9),
])
def test_key_values(table, row_id, expected):
    assert digital.value(table, row_id) == pytest.approx(expected, abs=1e-9)


def test_key_dates(table):
    assert digital.date_of(table, "DATE-ASEAN2025") == "2015-11-22"
    assert digital.date_of(table, "DATE-AFTA") == "1992-01-28"
    assert digital.date_of(table, "DATE-DEFA-ROUND1") == "2023-12-01"
    assert digital.date_of(table, "DATE-MYS-CHAIR") == "2025-01-01"


def test_rows_from_the_mirror_still_agree_with_it(table, mirror):
    used = table[table["mirror_row"] != ""]
    assert len(used) >= 40
    for r in used.itertuples():
        src = mirror.iloc[int(r.mirror_row)]
        for column in ("metric", "geography", "unit", "url", "source_title", "location_in_source"):
            assert getattr(r, column) == src[column], f"{r.id}: {column} differs from mirror row {r.mirror_row}"
        if r.unit == "date":
            assert r.value == src["value"], r.id
        else:
            assert float(r.value) == pytest.approx(float(src["value"]), abs=1e-9), r.id
        assert str(r.year) == str(src["year"]).removesuffix(".0"), r.id


def test_a_row_without_citation_is_refused(monkeypatch, table):
    broken = load.reference(digital.FIGURES)
    broken.loc[0, "url"] = " "
    monkeypatch.setattr(load, "reference", lambda name: broken)
    with pytest.raises(DataError, match="lack a citation"):
        digital.figures()


def test_unknown_row_and_wrong_unit(table):
    with pytest.raises(DataError, match="no row"):
        digital.row(table, "NOPE")
    with pytest.raises(DataError, match="not a number"):
        digital.value(table, "DATE-AFTA")
    with pytest.raises(DataError, match="not 'date'"):
        digital.date_of(table, "ECS24-GMV")


# ------------------------------------------------------------------ arithmetic

def test_growth_arithmetic_by_hand():
    assert digital.implied_previous(115, 15) == pytest.approx(100)
    assert digital.implied_previous(263, 15) == pytest.approx(228.6957, abs=1e-3)
    assert digital.growth_pct(26, 31) == pytest.approx(19.2308, abs=1e-3)
    assert digital.cagr_pct(100, 121, 2) == pytest.approx(10)
    assert digital.cagr_pct(300, 1000, 7) == pytest.approx(18.767, abs=1e-3)
    lo, hi = digital.implied_previous_range(263, 15)
    assert lo == pytest.approx(262.5 / 1.155) and hi == pytest.approx(263.5 / 1.145)
    with pytest.raises(ValueError):
        digital.cagr_pct(0, 10, 3)


def test_implied_2023_and_within_edition_checks(table):
    imp = digital.implied_2023(table).set_index("metric")
    assert imp.loc["GMV", "implied_2023_usd_bn"] == pytest.approx(228.7, abs=0.05)
    assert imp.loc["revenue", "implied_2023_usd_bn"] == pytest.approx(78.07, abs=0.05)
    assert imp.loc["profit", "implied_2023_usd_bn"] == pytest.approx(8.87, abs=0.05)
    checks = digital.within_edition_checks(table).set_index("edition")
    assert checks["consistent"].all()
    assert checks.loc["e-Conomy SEA 2024", "computed_growth_pct"] == pytest.approx(19.23, abs=0.01)
    assert checks.loc["e-Conomy SEA 2018", "computed_growth_pct"] == pytest.approx(31.04, abs=0.01)


def test_defa_scenarios(table):
    s = digital.defa_scenarios(table)
    assert s["ratio_defa_to_bau"] == pytest.approx(2.0)
    assert s["ratio_defa_to_base"] == pytest.approx(6.667, abs=1e-3)
    assert s["cagr_defa_pct"] == pytest.approx(31.13, abs=0.01)
    assert digital.article_reading_cagr(1000, 2000, 2024, 2030) == pytest.approx(100 * (2 ** (1 / 6) - 1))


def test_gdp_share(table):
    gdp = load.gdp("imf-2024-10")
    share = digital.gdp_share(263, gdp, 2024, members.SEA6, "imf-2024-10")
    assert 5 < share["share_pct"] < 9 and share["countries"] == 6
    with pytest.raises(DataError, match="no 2024 value"):
        digital.gdp_share(263, load.gdp("wdi-2024-10"), 2024, members.SEA6, "wdi-2024-10")


def test_gmv_by_edition_keeps_editions_apart(table):
    series = digital.gmv_by_edition(table)
    per_2015 = series[series["year"] == 2015].set_index("edition")["gmv_usd_bn"]
    assert per_2015.to_dict() == {"e-Conomy SEA 2016": 31, "e-Conomy SEA 2018": 32}
    assert set(series["kind"]) == {"reported", "projection", "implied by stated growth"}


# ------------------------------------------------------------------ article parsing

def test_article_lists_nine_areas_matching_the_published_elements():
    text = load.article()
    areas = digital.article_areas(text)
    assert len(areas) == 9 and digital.stated_area_count(text) == 9
    assert areas[0] == "digital trade" and areas[-1] == "talent mobility and cooperation"
    matches = digital.match_areas(areas, list(digital.elements()["element"]))
    assert matches["matched"].all()


def test_area_parsing_counts_what_is_there():
    text = "These key areas encompass digital trade, competition policy, and talent mobility and cooperation. Next."
    assert digital.article_areas(text) == ["digital trade", "competition policy", "talent mobility and cooperation"]
    published = ["Digital Trade", "Competition Policy"]
    matches = digital.match_areas(digital.article_areas(text), published)
    assert matches["matched"].tolist() == [True, True, False]
    with pytest.raises(DataError, match="key areas encompass"):
        digital.article_areas("no such sentence")


# ------------------------------------------------------------------ data protection

def test_data_protection_tests():
    regimes = digital.regimes(load.read("data-protection-regimes", dtype_str=True), members.asean("2024-11-27"))
    assert len(regimes) == 10
    groups = digital.regime_groups(regimes)
    assert "PHL" in groups["dfft_aligned"] and "VNM" in groups["restrictive_ad_hoc"]
    assert sum(len(codes) for codes in groups.values()) == 10
    assert all(digital.dp_tests(regimes, "2024-11-27").values())
    assert not digital.dp_tests(regimes, "2020-01-01")["both regimes in force on 2020-01-01"]
    assert digital.has_localisation("data stored locally") and not digital.has_localisation("none general")


# ------------------------------------------------------------------ ledger

MINE = ["DIG-1", "DIG-2", "DIG-3", "DIG-4", "DIG-5", "DIG-6", "DEFA-1", "DEFA-2", "DEFA-3", "DEFA-4",
        "DATE-1", "DATE-2", "DATE-3", "DATE-4", "MEM-1", "DP-1", "DIG-7"]


def test_ledger_verdicts(ledger, table):
    mine = ledger.loc[MINE]
    assert not mine["verdict"].isin(["pending", "error"]).any()
    assert (mine["evidence_level"] != "").all() and (mine["reason"] != "").all()
    assert float(ledger.loc["DIG-1", "computed"]) == pytest.approx(digital.value(table, "ECS24-GMV"))
    assert ledger.loc["DIG-1", "evidence_level"] == "citation only"
    assert float(ledger.loc["DEFA-4", "computed"]) == pytest.approx(2.0, abs=1e-9)
    assert ledger.loc["DEFA-3", "verdict"] == "contradicted"  # the AfCFTA digital trade protocol was adopted in Feb 2024
    assert "African Continental Free Trade Area" in ledger.loc["DEFA-3", "reason"]
    assert ledger.loc["DATE-4", "verdict"] == "contradicted"  # adopted, not ratified
    assert ledger.loc["DIG-7", "verdict"] == "not_verifiable_data_not_in_mirror"
    assert int(float(ledger.loc["MEM-1", "computed"])) == len(members.asean(members.ARTICLE_DATE))
    assert ledger.loc["DEFA-2", "computed"] == digital.date_of(table, "DATE-DEFA-ROUND1")
    assert not math.isnan(float(ledger.loc["DEFA-1", "computed"]))


def test_first_regional_pact_is_a_dated_comparison():
    agreements = pd.DataFrame({"id": ["AGR-X", "AGR-Y", "AGR-DEFA"], "agreement": ["X", "Y", "DEFA"],
                               "regional": ["true", "false", "true"], "event": ["adopted", "signed", "concluded"],
                               "date": ["2024-02-18", "2020-06-12", "2025-10-24"]})
    tests = digital.first_regional_tests(agreements, "2024-11-27")
    assert list(tests.values()) == [False, True]  # X: regional and earlier; Y: not regional
    assert list(digital.first_regional_tests(agreements, "2024-01-01").values()) == [True, True]  # X adopted later
    with pytest.raises(DataError, match="lists no agreement"):
        digital.first_regional_tests(agreements[agreements["id"] == "AGR-DEFA"], "2024-11-27")
    assert list(digital.earlier_pacts(agreements, "2024-11-27")["id"]) == ["AGR-X"]
    assert digital.earlier_pacts(agreements, "2024-01-01").empty


def test_decade_counts_editions_with_both_ends(table):
    checks = digital.within_edition_checks(table)
    d = digital.decade(table, checks, 2014, 2024)
    assert d.covering == ()  # no edition gives GMV for both 2014 and 2024
    assert d.longest["check"] == "SEA-6 GMV 2015->2018, per year" and d.longest["computed_growth_pct"] == pytest.approx(31.04, abs=0.01)
    assert digital.decade(table, checks, 2016, 2018).covering == ("e-Conomy SEA 2018",)


def test_scenario_paths_join_the_baseline_to_each_scenario(table):
    s = digital.defa_scenarios(table)
    paths = digital.scenario_paths(s).set_index("year")
    assert paths.index[0] == s["base_year"] and paths.index[-1] == s["target_year"]
    assert paths.loc[s["base_year"]].tolist() == pytest.approx([s["base_usd_bn"]] * 2)
    assert paths.loc[s["target_year"], "with DEFA"] == pytest.approx(s["defa_usd_bn"])
    assert paths.loc[s["target_year"], "business as usual"] == pytest.approx(s["bau_usd_bn"])


def test_ratification_test_names_the_word_used():
    adopted = pd.Series({"metric": "adoption of ASEAN 2025: Forging Ahead Together"})
    assert digital.ratification_test(adopted) == {
        "the cited source describes the act as a ratification (it says: adoption)": False}
    assert list(digital.ratification_test(pd.Series({"metric": "Ratification of X"})).values()) == [True]
