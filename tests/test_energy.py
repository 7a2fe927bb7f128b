"""Brunei's gas, Laos' hydropower, Cambodia's workforce: hand-checkable arithmetic, real values, errors, ledger."""

import json

import pandas as pd
import pytest

from asean_analysis import load, members
from asean_analysis.analysis import energy
from asean_analysis.errors import DataError, ParameterError

ASEAN = members.asean("2024-11-27")


@pytest.fixture(scope="module")
def extract():
    return load.read("owid-energy-extract-brunei-laos")


@pytest.fixture(scope="module")
def wages():
    return energy.wages_usd(load.reference("wages.csv"), 2024, 26)


# ---------------------------------------------------------------- names -> ISO3

def test_english_names_map_to_iso3_and_missing_members_are_listed():
    frame = pd.DataFrame({"Country": ["Laos", "Vietnam", "Narnia"], "v": [1, 2, 3]})
    found = energy.members_of(frame, "Country", ["LAO", "VNM", "KHM"], "test")
    assert dict(zip(found.table["Country"], found.table["iso3"])) == {"Laos": "LAO", "Vietnam": "VNM"}
    assert found.missing == ("KHM",)


def test_member_without_a_known_english_name_is_an_error():
    with pytest.raises(DataError, match="OWID_ISO3"):
        energy.members_of(pd.DataFrame({"Country": ["Laos"]}), "Country", ["LAO", "XKX"], "test")


# ---------------------------------------------------------------- EN-1

def test_gas_table_real_values():
    pop = load.wdi("wdi-pop-2026-07")
    gas = energy.gas_table(load.read("bp-statistical-review-2021"), 2020, ASEAN, pop)
    brn = gas.table.set_index("iso3").loc["BRN"]
    assert brn["reserves_tcm"] == pytest.approx(0.2223, abs=1e-4)
    assert brn["world_share_pct"] == pytest.approx(100 * 0.2223 / 188.074, rel=1e-3)
    brn_pop = pop[(pop["iso3"] == "BRN") & (pop["year"] == 2020)]["value"].iat[0]
    assert brn["reserves_m3_per_head"] == pytest.approx(0.2223e12 / brn_pop, rel=1e-3)
    assert brn["reserves_to_production_years"] == pytest.approx(222.3 / 12.64, rel=1e-3)
    assert gas.table["iso3"].iat[0] == "BRN"  # sorted by reserves per head
    assert {"KHM", "LAO", "SGP", "PHL"} <= set(gas.missing)


def test_reserves_after_2020_are_refused_with_the_reason():
    with pytest.raises(ParameterError, match="only to 2020"):
        energy.gas_table(load.read("bp-statistical-review-2021"), 2021, ASEAN, load.wdi("wdi-pop-2026-07"))


def test_surplus_is_production_minus_all_primary_energy(extract):
    small = pd.DataFrame({"country": ["Brunei", "Brunei", "Laos"], "year": [2022, 2023, 2023],
                          "gas_production": [100.0, 90.0, 0.0], "primary_energy_consumption": [40.0, None, 10.0]})
    out = energy.gas_surplus(small)
    assert out["surplus_twh"].iat[0] == 60.0 and out["production_to_primary_energy"].iat[0] == 2.5
    assert len(out) == 2 and pd.isna(out["surplus_twh"].iat[1])  # a year lacking data stays, without surplus
    real = energy.gas_surplus(extract).set_index("year")
    assert real.loc[2023, "gas_production_twh"] == pytest.approx(99.821)
    assert real.loc[2023, "surplus_twh"] == pytest.approx(99.821 - 54.254)


def test_gas_criteria_by_hand():
    table = pd.DataFrame({"iso3": ["BRN", "MYS", "IDN"], "reserves_tcm": [0.2, 0.9, 1.3],
                          "reserves_to_production_years": [18.0, 12.0, 20.0]})
    surplus = pd.DataFrame({"year": [2023], "surplus_twh": [45.0]})
    tests = energy.gas_criteria(table, surplus, 2023)
    assert list(tests.values()) == [False, False, True]  # below the median 0.9 tcm, R/P 18 not above 18, surplus
    no_rp = energy.gas_criteria(table.assign(reserves_to_production_years=[float("nan"), 12.0, 20.0]), surplus, 2023)
    assert no_rp["BRN's reserves-to-production ratio is above the members' median"] is None  # no production: no data
    with pytest.raises(ParameterError, match="recent_year=2024"):
        energy.gas_criteria(table, surplus, 2024)


def test_rank_of_ranks_ties_and_direction():
    values = pd.Series({"A": 3.0, "B": 5.0, "C": 5.0, "D": 1.0})
    assert energy.rank_of(values, "A") == 3 and energy.rank_of(values, "C") == 1  # B and C tie for first
    assert energy.rank_of(values, "A", largest_first=False) == 2


def test_gas_facts_by_hand():
    table = pd.DataFrame({"iso3": ["MYS", "BRN", "IDN"], "reserves_tcm": [0.9, 0.2, 1.3], "world_share_pct": [0.5, 0.1, 0.7],
                          "reserves_m3_per_head": [27e3, 450e3, 4.7e3], "reserves_to_production_years": [12.0, 18.0, 20.0],
                          "production_twh": [700.0, 120.0, 600.0]})
    surplus = pd.DataFrame({"year": [2020, 2022, 2023], "gas_production_twh": [121.5, 100.0, 99.0],
                            "primary_energy_twh": [50.0, None, 60.0]}).assign(
        surplus_twh=lambda f: f["gas_production_twh"] - f["primary_energy_twh"],
        production_to_primary_energy=lambda f: f["gas_production_twh"] / f["primary_energy_twh"])
    f = energy.gas_facts(table, surplus, 2020, 2023)
    assert (f.rank_per_head, f.rank_absolute, f.members_with_data) == (1, 3, 3)
    assert (f.members_median_reserves_tcm, f.members_median_rp_years) == (0.9, 18.0)
    assert f.production_to_primary_energy == pytest.approx(1.65)
    assert (f.years_with_surplus, f.years_known) == (2, 2)  # 2022 lacks primary energy
    assert f.vintage_difference_twh == pytest.approx(1.5)
    assert energy.gas_facts(table, surplus, 2019, 2023).vintage_difference_twh is None


# ---------------------------------------------------------------- EN-2

def test_electricity_mix_real_values():
    mix = energy.electricity_mix(load.read("owid-electricity-mix-2022"), 2020, ASEAN)
    lao = mix.table.set_index("iso3").loc["LAO"]
    assert lao["hydro_share_pct"] == pytest.approx(64.064, abs=0.01)
    assert lao["net_imports_twh"] == pytest.approx(-22.77, abs=0.01)
    assert mix.missing == ()
    with pytest.raises(ParameterError, match="covers"):
        energy.electricity_mix(load.read("owid-electricity-mix-2022"), 1900, ASEAN)


def test_vintages_side_by_side_by_hand():
    old = pd.DataFrame({"Country": ["Laos", "Laos"], "Year": [2019, 2020], "Hydro (% electricity)": [64.0, 64.0],
                        "Net imports (TWh)": [-22.0, -22.0]})
    new = pd.DataFrame({"country": ["Laos", "Laos"], "year": [2020, 2021], "hydro_share_elec": [71.0, 73.0],
                        "net_elec_imports": [-29.0, -33.0]})
    out = energy.vintages(old, new).set_index("year")
    assert list(out.index) == [2019, 2020, 2021]
    assert out.loc[2020, "hydro_share_difference"] == 7.0 and out.loc[2020, "net_imports_difference"] == -7.0
    assert pd.isna(out.loc[2019, "hydro_share_pct_current"])
    with pytest.raises(DataError, match="missing from one of the vintages"):
        energy.vintages(old, new, country="Brunei")


def test_hydro_criteria_by_hand():
    mix = pd.DataFrame({"iso3": ["LAO", "MMR"], "hydro_share_pct": [64.0, 46.0], "net_imports_twh": [-22.0, -1.0]})
    series = pd.DataFrame({"year": [2023], "net_imports_twh_current": [-35.0]})
    assert list(energy.hydro_criteria(mix, series, 2020, 2023).values()) == [True, True, True]
    mix2 = mix.assign(net_imports_twh=[-1.0, -5.0])
    assert list(energy.hydro_criteria(mix2, series, 2020, 2023).values()) == [True, False, True]


def test_hydro_facts_by_hand():
    mix = pd.DataFrame({"iso3": ["LAO", "MMR", "VNM"], "Country": ["Laos", "Myanmar", "Vietnam"],
                        "hydro_share_pct": [64.0, 46.0, 30.0], "net_imports_twh": [-22.0, 1.0, -30.0]})
    series = pd.DataFrame({"year": [2019, 2020, 2023], "hydro_share_pct_2022": [64.0, 64.0, None],
                           "hydro_share_pct_current": [63.0, 71.0, 76.0], "net_imports_twh_current": [-20.0, -29.0, -35.0]})
    series["hydro_share_difference"] = series["hydro_share_pct_current"] - series["hydro_share_pct_2022"]
    f = energy.hydro_facts(mix, series, 2020, 2023)
    assert (f.next_member, f.next_hydro_share_pct, f.largest_exporter) == ("Myanmar", 46.0, "Vietnam")
    assert (f.recent_hydro_share_pct, f.recent_net_imports_twh) == (76.0, -35.0)
    assert f.share_differences == {2019: -1.0, 2020: 7.0} and f.largest_difference_year == 2020


# ---------------------------------------------------------------- EN-3

def test_median_age_and_age_structure_real_values():
    ages = energy.median_age(load.read("owid-median-age-wpp2022"), 2021, ASEAN).table.set_index("iso3")["median_age"]
    assert ages["KHM"] == pytest.approx(26.5)
    assert ages.median() == pytest.approx((29.4 + 29.9) / 2)
    shares = energy.age_structure(load.read("owid-population-age-groups-wpp2022"), ASEAN).table.set_index("iso3")
    assert shares.loc["KHM", "15-24 years"] == pytest.approx(100 * 2_755_375 / 16_589_031, abs=0.01)
    assert shares.loc["KHM", "under_25"] == pytest.approx(45.9, abs=0.05)
    assert shares[energy.AGE_BANDS].sum(axis=1).to_numpy() == pytest.approx(100, abs=0.1)


def _wage_rows(rows):
    return pd.DataFrame(rows, columns=["id", "iso3", "geography", "metric", "year", "value", "unit", "confidence"])


def test_wage_conversion_by_hand():
    table = _wage_rows([
        ("WAGE-A", "THA", "T", "daily", "2024", "100", "THB per day", "high"),
        ("WAGE-B", "KHM", "K", "monthly", "2024", "200", "USD per month", "high"),
        ("FX-1", "THA", "T", "fx", "2024", "25", "THB per USD", "high"),
        ("FX-2", "THA", "T", "fx", "2024", "40", "THB per USD", "high"),
    ])
    out = energy.wages_usd(table, 2024, 20).set_index("id")
    assert out.loc["WAGE-A", "local_per_month"] == 2000
    assert (out.loc["WAGE-A", "usd_low"], out.loc["WAGE-A", "usd_high"]) == (50.0, 80.0)
    assert (out.loc["WAGE-B", "usd_low"], out.loc["WAGE-B", "usd_high"]) == (200.0, 200.0)
    assert energy.wage_floor_tests(out.reset_index()) == {"KHM's minimum wage is below THA's lowest minimum wage (US$ per month)": False}


def test_wage_errors_name_the_fix():
    no_fx = _wage_rows([("WAGE-A", "THA", "T", "daily", "2024", "100", "THB per day", "high")])
    with pytest.raises(DataError, match="exchange rate for THB"):
        energy.wages_usd(no_fx, 2024, 26)
    weekly = _wage_rows([("WAGE-A", "KHM", "K", "weekly", "2024", "50", "USD per week", "high")])
    with pytest.raises(DataError, match="per month"):
        energy.wages_usd(weekly, 2024, 26)
    with pytest.raises(DataError, match="no minimum wage for 2030"):
        energy.wages_usd(no_fx, 2030, 26)


def test_wage_table_real_values(wages):
    w = wages.set_index("id")
    assert w.loc["WAGE-VNM-2024-R4", "usd_low"] == pytest.approx(3_450_000 / 24_327, rel=1e-6)
    assert w.loc["WAGE-THA-2024-LOW", "usd_low"] == pytest.approx(330 * 26 / 37.18, rel=1e-6)
    assert w.loc["WAGE-THA-2024-LOW", "usd_high"] == pytest.approx(330 * 26 / 32.15, rel=1e-6)


def test_wage_rows_agree_with_the_transcribed_figures():
    """data/reference/wages.csv repeats the wage numbers of the EN-4 rows of digital-transcribed-figures."""
    source = load.read("digital-transcribed-figures", dtype_str=True)
    source = source[source["claim_id_hint"].str.startswith("EN-4")].set_index(["geography", "year"])["value"]
    ref = load.reference("wages.csv").set_index("id")
    assert ref.loc["WAGE-KHM-2024", "value"] == source[("Cambodia", "2024")]
    assert ref.loc["WAGE-KHM-2025", "value"] == source[("Cambodia", "2025")]
    assert ref.loc["WAGE-VNM-2024-R1", "value"] == source[("Viet Nam", "2024")]
    assert source[("Thailand", "2024")] == f"{ref.loc['WAGE-THA-2024-LOW', 'value']}-{ref.loc['WAGE-THA-2024-HIGH', 'value']}"
    cited = ["source_title", "publisher", "url", "location_in_source"]
    assert (ref[cited] != "").all().all()


def test_workforce_criteria_real_values(wages):
    ages = energy.median_age(load.read("owid-median-age-wpp2022"), 2021, ASEAN).table
    structure = energy.age_structure(load.read("owid-population-age-groups-wpp2022"), ASEAN).table
    tests = energy.workforce_criteria(ages, structure, wages, 2021)
    assert len(tests) == 4  # median age, under-25 share, one wage test per sourced member (THA, VNM)
    assert tests["KHM's median age in 2021 is below the members' median"] is (26.5 < 29.65)


# ---------------------------------------------------------------- ledger

def test_workforce_facts_by_hand():
    ages = pd.DataFrame({"iso3": ["LAO", "KHM", "THA"], "median_age": [24.0, 26.5, 40.0]})
    structure = pd.DataFrame({"iso3": ["LAO", "KHM", "THA"], "under_25": [48.0, 45.9, 28.0]})
    wages = pd.DataFrame({"iso3": ["KHM", "THA", "THA", "VNM"], "usd_low": [204.0, 231.0, 260.0, 142.0],
                          "usd_high": [204.0, 250.0, 299.0, 150.0]})
    f = energy.workforce_facts(ages, structure, wages)
    assert (f.youngest_rank, f.members_with_age, f.members_median_age) == (2, 3, 26.5)
    assert f.members_median_under_25_pct == 45.9 and f.wage_usd_month == 204.0
    assert f.floors_usd_month == {"THA": 231.0, "VNM": 142.0} and f.ceilings_usd_month == {"THA": 299.0, "VNM": 150.0}
    assert f.wage_members == ("KHM", "THA", "VNM")


def test_young_tests_and_borders_by_hand():
    ages = pd.DataFrame({"iso3": ["KHM", "LAO", "BRN", "SGP"], "median_age": [26.0, 24.0, 31.0, 42.0]})
    assert energy.young_tests(ages, ["BRN", "KHM", "MMR"], 2021) == {
        "BRN's median age in 2021 is below the members' median": False,  # median 28.5
        "KHM's median age in 2021 is below the members' median": True,
        "MMR's median age in 2021 is below the members' median": None}  # no data: not evaluable
    borders = pd.DataFrame({"iso3": ["MMR", "MMR"], "neighbour_iso3": ["THA", "CHN"]})
    assert energy.border_tests(borders, "MMR", ["THA", "VNM"]) == {"MMR shares a land border with THA": True,
                                                                  "MMR shares a land border with VNM": False}
    with pytest.raises(DataError, match="no border of LAO"):
        energy.border_tests(borders, "LAO", ["THA"])


def test_ledger_energy_verdicts_are_computed(ledger):
    assert ledger.loc["EN-1", "verdict"] == "contradicted"  # small in absolute terms and in years of production
    assert "BRN's proved gas reserves (absolute) are above the members' median" in ledger.loc["EN-1", "reason"]
    assert ledger.loc["EN-4", "verdict"] == "supported"  # borders Thailand and China: a cited fact
    assert ledger.loc["EN-7", "verdict"] == "partly_supported" and "not met: BRN's median age" in ledger.loc["EN-7", "reason"]
    for cid in ("EN-5", "EN-6"):
        assert ledger.loc[cid, "verdict"] == "not_verifiable_qualitative" and ledger.loc[cid, "reason"].startswith("qualitative")


def test_ledger_values_match_the_data(ledger, extract, wages):
    gas = energy.gas_table(load.read("bp-statistical-review-2021"), 2020, ASEAN, load.wdi("wdi-pop-2026-07")).table
    assert json.loads(ledger.loc["EN-1", "computed"]) == energy.gas_criteria(gas, energy.gas_surplus(extract), 2023)
    mix = energy.electricity_mix(load.read("owid-electricity-mix-2022"), 2020, ASEAN).table
    series = energy.vintages(load.read("owid-electricity-mix-2022"), extract)
    assert json.loads(ledger.loc["EN-2", "computed"]) == energy.hydro_criteria(mix, series, 2020, 2023)
    ages = energy.median_age(load.read("owid-median-age-wpp2022"), 2021, ASEAN).table
    structure = energy.age_structure(load.read("owid-population-age-groups-wpp2022"), ASEAN).table
    assert json.loads(ledger.loc["EN-3", "computed"]) == energy.workforce_criteria(ages, structure, wages, 2021)
