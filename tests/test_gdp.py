"""ASEAN inserted as one economy: arithmetic on a small frame, then the real 2023 ranking."""

import pandas as pd
import pytest

from asean_analysis import load, members
from asean_analysis.analysis import gdp
from asean_analysis.errors import DataError

ASEAN = members.asean(members.ARTICLE_DATE)


def _frame(rows):
    return pd.DataFrame(rows, columns=["iso3", "name", "year", "gdp_usd"]).assign(is_estimate=False)


def test_bloc_is_summed_members_removed_aggregates_dropped():
    small = _frame([("USA", "US", 2023, 10.0), ("IDN", "Indonesia", 2023, 3.0), ("THA", "Thailand", 2023, 2.0),
                    ("JPN", "Japan", 2023, 4.0), ("WLD", "World", 2023, 100.0), ("EAS", "East Asia", 2023, 40.0)])
    ranking = gdp.rank(small, 2023, "test", asean=["IDN", "THA"], eu=None, asia_definition="m49")
    table = ranking.table.set_index("iso3")
    assert list(ranking.table["iso3"]) == ["USA", "ASEAN", "JPN"]
    assert table.loc["ASEAN", "gdp_usd"] == 5.0
    assert list(table["asia_rank"].dropna()) == [1, 2]
    assert sorted(ranking.dropped["iso3"]) == ["EAS", "WLD"]
    assert gdp.position(ranking, "world")["margin_to_above_pct"] == pytest.approx(100.0)
    assert gdp.position(ranking, "asia")["margin_to_below_pct"] == pytest.approx(25.0)


def test_missing_member_is_reported_not_hidden():
    small = _frame([("USA", "US", 2023, 10.0), ("IDN", "Indonesia", 2023, 3.0)])
    assert gdp.rank(small, 2023, "t", asean=["IDN", "THA"], eu=None, asia_definition="m49").missing_members == ("THA",)


def test_year_outside_coverage_names_the_range():
    with pytest.raises(DataError, match=r"year 2030 is not in GDP source 'wdi-2024-10' \(covers 1960-2023\)"):
        gdp.year_slice(load.gdp("wdi-2024-10"), 2030, "wdi-2024-10")


@pytest.mark.parametrize("source", ["wdi-2024-10", "imf-2024-10"])
def test_asean_2023_is_fifth_in_world_third_in_asia(source):
    ranking = gdp.rank(load.gdp(source), 2023, source, asean=ASEAN, eu=None, asia_definition="m49")
    world, asia = gdp.position(ranking, "world"), gdp.position(ranking, "asia")
    assert world["gdp_usd"] == pytest.approx(3.79e12, rel=0.01)
    assert (world["rank"], world["above"], world["below"]) == (5, "Japan", "India")
    assert asia["rank"] == 3
    assert 5 < world["margin_to_below_pct"] < 10  # ahead of India by 6-7 %


def test_eu_as_one_economy_takes_second_place():
    eu = members.bloc_members("EU", members.ARTICLE_DATE)
    ranking = gdp.rank(load.gdp("wdi-2024-10"), 2023, "wdi-2024-10", asean=ASEAN, eu=eu, asia_definition="m49")
    assert list(ranking.table["iso3"][:5]) == ["USA", "EUU", "CHN", "JPN", "ASEAN"]


def test_per_head_and_median_test():
    table = gdp.per_head(load.gdp("wdi-2024-10"), load.wdi("wdi-pop-2026-07"), 2023, ASEAN)
    assert list(table["iso3"][:2]) == ["SGP", "BRN"]
    assert table.set_index("iso3").loc["SGP", "gdp_per_head_usd"] == pytest.approx(84_700, rel=0.02)
    tests = gdp.below_median(table, ["BRN", "KHM"])
    assert tests == {"BRN below the ASEAN median GDP per head": False, "KHM below the ASEAN median GDP per head": True}


def test_sensitivity_variants_and_spread_by_hand():
    a = _frame([("USA", "US", 2023, 10.0), ("IDN", "Indonesia", 2023, 3.0), ("JPN", "Japan", 2023, 4.0),
                ("DEU", "Germany", 2023, 2.5), ("FRA", "France", 2023, 2.0)])
    b = _frame([("USA", "US", 2023, 10.0), ("IDN", "Indonesia", 2023, 5.0), ("JPN", "Japan", 2023, 4.0),
                ("DEU", "Germany", 2023, 2.5), ("FRA", "France", 2023, 2.0)])
    table = gdp.sensitivity({"a": a, "b": b}, [2022, 2023], asean=["IDN"], eu=["DEU", "FRA"], asia_definition="m49")
    assert len(table) == 4  # 2022 is in neither frame: skipped
    ranks = table.set_index(["source", "eu_as_bloc"])["world_rank"].to_dict()
    assert ranks == {("a", False): 3, ("a", True): 4, ("b", False): 2, ("b", True): 2}  # EU 4.5 passes ASEAN 3 in a
    assert gdp.variants(table, 2023, "world") == {"a, EU as one economy: False": 3, "a, EU as one economy: True": 4,
                                                  "b, EU as one economy: False": 2, "b, EU as one economy: True": 2}
    s = gdp.spread(table, 2023, asserted_world=2, asserted_asia=1)
    assert (s.world_ranks, s.asia_ranks, s.sources) == ((2, 3, 4), (1, 2), 2)
    assert s.asean_gdp_usd_tn == {"a": pytest.approx(3e-12), "b": pytest.approx(5e-12)}
    assert s.differing == ("a 2023: 3/2", "a 2023: 4/2")


def test_ranks_of_named_members():
    table = pd.DataFrame({"iso3": ["SGP", "BRN", "MYS", "KHM"], "gdp_per_head_usd": [80e3, 33e3, 11e3, 2e3]})
    assert gdp.ranks_of(table, ["BRN", "KHM", "TLS"]) == {"BRN": 2, "KHM": 4}  # TLS has no row: left out


def _sensitivity_by_ranking(sources, years, asean, eu, asia_definition):
    """The reference: every variant ranked from scratch by :func:`gdp.rank`."""
    rows = []
    for source, frame in sources.items():
        for year in (y for y in years if y in set(frame["year"])):
            for eu_as_bloc in (False, True):
                r = gdp.rank(frame, year, source, asean=asean, eu=eu if eu_as_bloc else None, asia_definition=asia_definition)
                me = r.table[r.table["iso3"] == "ASEAN"].iloc[0]
                rows.append({"source": source, "year": year, "eu_as_bloc": eu_as_bloc, "world_rank": int(me["world_rank"]),
                             "asia_rank": int(me["asia_rank"]), "asean_gdp_usd_tn": me["gdp_usd"] / 1e12,
                             "includes_estimates": bool(me["is_estimate"]), "missing_members": ",".join(r.missing_members)})
    return pd.DataFrame(rows)


def test_sensitivity_equals_ranking_every_variant_on_real_data():
    sources = {source: load.gdp(source) for source in load.GDP_SOURCES}
    asean = [*ASEAN, "SYR"]  # a member without a value in some sources and years
    eu = members.bloc_members("EU", members.ARTICLE_DATE)
    years, asia_definition = list(range(2021, 2026)), "m49-excl-western-asia"  # the definition that reads subregions
    table = gdp.sensitivity(sources, years, asean=asean, eu=eu, asia_definition=asia_definition)
    pd.testing.assert_frame_equal(table, _sensitivity_by_ranking(sources, years, asean, eu, asia_definition), check_exact=True)
    assert table["world_rank"].nunique() > 1 and table["includes_estimates"].any()  # the variants differ: a real comparison
    assert (table["missing_members"] != "").any() and (table["missing_members"] == "").any()
