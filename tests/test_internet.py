"""Internet users: gap policies and new-users arithmetic on hand-checkable frames, then the real data."""

import json

import numpy as np
import pandas as pd
import pytest

from asean_analysis import load, members
from asean_analysis.__main__ import main
from asean_analysis.analysis import internet as net
from asean_analysis.errors import DataError, ParameterError

ASEAN = members.asean(members.ARTICLE_DATE)
DAY = net.DAYS_PER_YEAR

# AAA reports 2010 (10 %) and 2012 (30 %) only; BBB reports every year (50 % -> 80 %).
SHARE = pd.DataFrame({"iso3": ["AAA", "AAA", "BBB", "BBB", "BBB", "BBB"],
                      "year": [2010, 2012, 2010, 2011, 2012, 2013],
                      "share": [10.0, 30.0, 50.0, 60.0, 70.0, 80.0]})
POP = pd.DataFrame([(c, y, p) for c, p in (("AAA", 1_000_000), ("BBB", 3_000_000)) for y in range(2010, 2014)],
                   columns=["iso3", "year", "population"])
YEARS = range(2010, 2014)


def _change(table, pop, codes, start, end):
    """One market's row of :func:`net.window`."""
    return net.window(table, pop, {"market": codes}, start, end).iloc[0]


def _aaa(policy):
    filled = net.fill_gaps(SHARE, YEARS, policy)
    return filled[filled["iso3"] == "AAA"].set_index("year")


def test_drop_keeps_reported_values_only():
    aaa = _aaa("drop")
    assert list(aaa.index) == [2010, 2012] and not aaa["filled"].any()


def test_interpolate_fills_inside_gaps_only():
    aaa = _aaa("interpolate")
    assert aaa.loc[2011, "share"] == pytest.approx(20.0) and aaa.loc[2011, "filled"]
    assert 2013 not in aaa.index  # no extrapolation after the last report


def test_carry_forward_holds_the_last_report():
    aaa = _aaa("carry_forward")
    assert aaa.loc[2011, "share"] == 10.0 and aaa.loc[2013, "share"] == 30.0
    assert list(aaa["filled"]) == [False, True, False, True]


@pytest.mark.parametrize("policy, start, end, per_day", [
    # AAA: (30 % - 10 %) x 1 m over two years; BBB: (70 % - 50 %) x 3 m
    ("drop", 2010, 2012, (200_000 + 600_000) / (2 * DAY)),
    ("interpolate", 2010, 2011, (100_000 + 300_000) / DAY),
    ("carry_forward", 2010, 2011, (0 + 300_000) / DAY),
    ("carry_forward", 2012, 2013, (0 + 300_000) / DAY),
])
def test_new_users_per_day_by_hand(policy, start, end, per_day):
    table = net.users(net.fill_gaps(SHARE, YEARS, policy), POP)
    result = _change(table, POP, ["AAA", "BBB"], start, end)
    assert result["new_per_day"] == pytest.approx(per_day)
    assert result["missing"] == "" and result["coverage_pct"] == 100


@pytest.mark.parametrize("policy, filled_pct", [("drop", None), ("interpolate", None), ("carry_forward", 25.0)])
def test_missing_country_is_left_out_and_counted(policy, filled_pct):
    table = net.users(net.fill_gaps(SHARE, YEARS, policy), POP)
    result = _change(table, POP, ["AAA", "BBB"], 2012, 2013)
    if filled_pct is None:  # AAA has no 2013 value: only BBB counts, a quarter of the population is uncovered
        assert result["missing"] == "AAA" and result["coverage_pct"] == pytest.approx(75.0)
        assert result["new_per_day"] == pytest.approx(300_000 / DAY)
        assert result["growth_pct"] == pytest.approx(100 * (2.4 / 2.1 - 1))
    else:
        assert result["filled_pct"] == pytest.approx(filled_pct)


def test_coverage_per_year():
    table = net.users(net.fill_gaps(SHARE, YEARS, "drop"), POP)
    cover = net.coverage(table, POP, {"both": ["AAA", "BBB"]}, YEARS).set_index("year")
    assert list(cover["coverage_pct"]) == pytest.approx([100, 75, 100, 75])
    assert list(cover["countries_reported"]) == [2, 1, 2, 1]


def test_bad_parameters_name_the_fix():
    with pytest.raises(ParameterError, match="unknown gap_policy 'guess'"):
        net.fill_gaps(SHARE, YEARS, "guess")
    with pytest.raises(ParameterError, match="must be after start_year"):
        _change(net.users(SHARE.assign(filled=False), POP), POP, ["AAA"], 2012, 2012)
    with pytest.raises(ParameterError, match=r"end_year 2014 is after the last year .* \(2013\)"):
        net.span(SHARE, POP, 2010, 2014)
    with pytest.raises(ParameterError, match="unknown population vintage"):
        net.population("wdi-1999")


def _window(rows):
    columns = ["market", "new_per_day", "growth_pct", "coverage_pct", "missing", "countries_used"]
    return pd.DataFrame(rows, columns=columns).assign(start=2019, end=2023)


def test_fastest_tests_both_readings_and_world_in_percent_only():
    result = _window([("ASEAN", 100, 40, 100, "", 10), ("India", 300, 90, 100, "", 1), ("World", 900, 30, 99, "TWN", 200),
                      ("Region", 50, 20, 40, "X,Y", 3)])
    comp = net.fastest(result, 90)
    assert comp.tests == {"more new users per day than India": False, "faster % growth of users than India": False,
                          "faster % growth of users than World": True,
                          "more new users per day than Region": None, "faster % growth of users than Region": None}
    assert list(comp.not_evaluable) == ["Region"]
    nan = _window([("ASEAN", 100, float("nan"), 100, "", 10), ("India", 300, 90, 100, "", 1)])
    assert net.fastest(nan, 90).tests == {"more new users per day than India": False,
                                          "faster % growth of users than India": None}  # NaN is never yes or no
    with pytest.raises(DataError, match="ASEAN members KHM have no value in 2019 or 2023"):
        net.fastest(_window([("ASEAN", 1, 1, 90, "KHM", 9)]), 50)


def test_gap_against_the_median_of_the_others():
    values = pd.DataFrame({"iso3": list("ABCDE") * 2, "year": [2022] * 5 + [2023] * 5,
                           "value": [1, 2, 3, 4, 5, 9, 8, 7, 2, 1]})
    values = values[~((values["iso3"] == "E") & (values["year"] == 2023))]  # E lacks 2023
    table = net.gap(values, list("ABCDE"), ["A", "E"], "x")
    assert table["year"].iat[0] == 2022 and table["others_median"].iat[0] == 3
    assert net.mekong_tests([table], ["A", "E", "Z"]) == {"A below the other members' median on x (2022)": True,
                                                          "E below the other members' median on x (2022)": False,
                                                          "Z below the other members' median on x (2022)": None}


# ---------------------------------------------------------------- the real data

def _independent_users(vintage, year, codes):
    """ASEAN users straight from the raw files, without the module's code path."""
    raw = load.read(net.INTERNET)
    share = raw[(raw["time"] == year) & raw["geo"].isin([c.lower() for c in codes])].set_index("geo")["it_net_user_zs"]
    pop = load.wdi(net.POPULATION_SOURCES[vintage])
    pop = pop[(pop["year"] == year) & pop["iso3"].isin(codes)].set_index("iso3")["value"]
    assert len(share) == len(pop) == len(codes)
    return sum(share[c.lower()] / 100 * pop[c] for c in codes)


def test_itu_codes_are_mapped_and_shares_in_range():
    share = net.internet_share()
    assert {"XKX", "CUW"} <= set(share["iso3"]) and "KOS" not in set(share["iso3"])
    india = set(share.loc[share["iso3"] == "IND", "year"])
    assert {2020, 2022} <= india and not {2021, 2023} & india  # the audit's known gaps


def test_asean_users_and_new_users_2019_2023():
    pop = net.population("wdi-2026-07")
    table = net.users(net.fill_gaps(net.internet_share(), range(2019, 2024), "carry_forward"), pop)
    result = _change(table, pop, ASEAN, 2019, 2023)
    u19, u23 = (_independent_users("wdi-2026-07", y, ASEAN) for y in (2019, 2023))
    assert result["users_end"] == pytest.approx(u23, rel=1e-9)
    assert result["new_per_day"] == pytest.approx((u23 - u19) / (4 * 365.25), rel=1e-9)
    assert 500e6 < u23 < 540e6 and 100_000 < result["new_per_day"] < 125_000
    assert result["filled_used"] == 0


def test_mekong_members_trail_on_both_indicators():
    share = net.internet_share().rename(columns={"share": "value"})
    internet = net.gap(share, ASEAN, ["KHM", "LAO", "MMR"], "internet")
    broadband = net.gap(load.wdi(net.BROADBAND), ASEAN, ["KHM", "LAO", "MMR"], "broadband")
    for table in (internet, broadband):
        assert table["year"].iat[0] == 2023
        assert set(table["iso3"].iloc[-3:]) == {"KHM", "LAO", "MMR"}  # the three lowest
    assert internet["others_median"].iat[0] == pytest.approx(89.5, abs=0.1)


def test_ledger_records_computed_verdicts(ledger):
    for cid in ("NET-1", "NET-2", "NET-3", "NET-4"):
        assert ledger.loc[cid, "verdict"] not in ("pending", "error"), cid
    vintage = json.loads(ledger.loc["NET-1", "parameters"])["population_vintage"]
    u22, u23 = (_independent_users(vintage, y, ASEAN) for y in (2022, 2023))
    assert float(ledger.loc["NET-1", "computed"]) == pytest.approx((u23 - u22) / 365.25, rel=1e-6)  # "now": 2022-2023
    assert 55_000 < float(ledger.loc["NET-1", "computed"]) < 70_000
    assert ledger.loc["NET-1", "verdict"] == "contradicted" and "for 2015-2020" in ledger.loc["NET-1", "reason"]
    assert ledger.loc["NET-2", "verdict"] == "contradicted"  # a superlative with comparators ahead
    assert ledger.loc["NET-4", "verdict"] == "not_verifiable_data_not_in_mirror"
    net2 = json.loads(ledger.loc["NET-2", "computed"])
    assert net2["more new users per day than India"] is False  # India adds more users a day than ASEAN


@pytest.mark.slow
def test_rerun_with_another_window_from_the_cli(tmp_path, capsys):
    out = tmp_path / "w"
    code = main(["run", "--notebook", "02_internet_users", "-p", "start_year=2015", "-p", "end_year=2020", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    record = json.loads((out / "values" / "NET-1.json").read_text())
    vintage = record["parameters"]["population_vintage"]
    u15, u20 = (_independent_users(vintage, y, ASEAN) for y in (2015, 2020))
    assert record["detail"]["window"] == "2015-2020"
    assert record["detail"]["window_average_per_day"] == pytest.approx((u20 - u15) / (5 * 365.25), rel=1e-6)
    u19 = _independent_users(vintage, 2019, ASEAN)
    assert record["computed"] == pytest.approx((u20 - u19) / 365.25, rel=1e-6)
    ledger = pd.read_csv(out / "claims_ledger.csv", keep_default_na=False).set_index("claim")
    assert ledger.loc["NET-1", "row_kind"] == "variant"
    assert ledger.loc["NET-1", "what_if"] == "start_year=2015, end_year=2020"
    assert (out / "figures" / "internet_new_users_per_day.png").is_file()


def test_sensitivity_rows_match_the_independent_count_and_name_what_is_missing():
    pops = {"wdi-2026-07": net.population("wdi-2026-07")}
    sens = net.sensitivity(net.internet_share(), pops, [(2019, 2023), (2019, 2030)], ["carry_forward", "drop"], ASEAN, 90)
    assert len(sens) == 4
    ok = sens[(sens["window"] == "2019-2023") & (sens["gap_policy"] == "carry_forward")].iloc[0]
    u19, u23 = (_independent_users("wdi-2026-07", y, ASEAN) for y in (2019, 2023))
    assert ok["evaluable"] and ok["asean_new_per_day"] == pytest.approx((u23 - u19) / (4 * 365.25), rel=1e-9)
    assert ok["NET-2 tests met"] == f"{sum(v is True for v in ok['NET-2 tests'].values())}/{len(ok['NET-2 tests'])}"
    late = sens[sens["window"] == "2019-2030"]
    assert not late["evaluable"].any() and late["not evaluable"].str.startswith("all (data end in").all()


def test_filled_at_ends_and_coverage_table_by_hand():
    table = net.users(net.fill_gaps(SHARE, YEARS, "carry_forward"), POP)
    filled = net.filled_at_ends(table, {"both": ["AAA", "BBB"], "B": ["BBB"]}, 2010, 2013)
    assert filled.set_index("market")["filled values at the window's ends"].to_dict() == {"both": 1, "B": 0}  # AAA 2013
    cover = net.coverage(table, POP, {"both": ["AAA", "BBB"]}, YEARS)
    side = net.coverage_table(cover, ["both"], [2011, 2013], "carry_forward")
    assert side.loc["both", ("% of population with a reported value", 2011)] == pytest.approx(75.0)  # BBB only
    assert side.loc["both", ("% with a value after gap_policy=carry_forward", 2011)] == pytest.approx(100.0)


def test_ahead_of_skips_markets_without_data():
    result = _window([("ASEAN", 100, 40, 100, "", 10), ("India", 300, 90, 100, "", 1), ("China", 50, 50, 100, "", 1),
                      ("Empty", 999, 999, 0, "X", 0)])
    assert net.ahead_of(result, "new_per_day") == ["India"] and net.ahead_of(result, "growth_pct") == ["India", "China"]


def test_origin_compares_the_projection_with_the_data():
    cited = pd.DataFrame({"metric": ["new internet users", "internet users"], "year": ["2015", "2015"],
                          "value": ["3.8", "260"], "unit": ["million per month", "million"], "publisher": ["G", "G"]})
    pop = net.population("wdi-2026-07")
    table = net.users(net.fill_gaps(net.internet_share(), range(2015, 2021), "carry_forward"), pop)
    o = net.origin(cited, table, pop, ASEAN)
    assert o.implied_per_day == pytest.approx(3.8e6 * 12 / 365.25)
    sea6 = [_independent_users("wdi-2026-07", y, net.SEA6) for y in (2015, 2020)]
    assert o.sea6_per_day == pytest.approx((sea6[1] - sea6[0]) / (5 * 365.25), rel=1e-9)
    assert o.users["itu_wdi_sea6_m"].iat[0] == round(sea6[0] / 1e6)


def test_variants_are_judged_and_picked_by_window():
    from asean_analysis.records import internet as record

    sens = pd.DataFrame({"window": ["2019-2023", "2019-2023", "2022-2023"], "population": ["p1", "p2", "p1"],
                         "gap_policy": ["drop", "drop", "drop"], "evaluable": [True, False, True],
                         "asean_new_per_day": [125_000.0, float("nan"), 60_000.0],
                         "NET-2 tests": [{"faster than X": True}, None, {"faster than X": False}]})
    judged = record.judge_variants(sens)
    assert judged["NET-1"].tolist() == ["supported", "not_evaluable", "contradicted"]  # band of 125,000: +-2,500
    assert judged["NET-2"].tolist() == ["supported", "not_evaluable", "contradicted"]
    assert record.variants(judged, 2019, 2023, "NET-1", "asean_new_per_day") == {"p1, drop": 125_000.0}


# ---------------------------------------------------------------- every variant at once = one at a time

def _change_alone(table, pop, codes, start, end):
    """The reference: one market over one window, straight from the rows (users summed in code order)."""
    a = table[(table["year"] == start) & table["iso3"].isin(codes)].set_index("iso3")
    b = table[(table["year"] == end) & table["iso3"].isin(codes)].set_index("iso3")
    both = sorted(set(a.index) & set(b.index))
    base = pop[(pop["year"] == end) & pop["iso3"].isin(codes)]
    either = a.loc[both, "filled"].to_numpy(dtype=bool) | b.loc[both, "filled"].to_numpy(dtype=bool)
    filled = [c for c, f in zip(both, either) if f]
    u0, u1, total = float(a.loc[both, "users"].sum()), float(b.loc[both, "users"].sum()), base["population"].sum()
    return {"start": start, "end": end, "users_start": u0, "users_end": u1,
            "new_per_day": (u1 - u0) / ((end - start) * DAY) if both else np.nan,
            "growth_pct": 100 * (u1 / u0 - 1) if u0 > 0 else np.nan,
            "annual_growth_pct": 100 * ((u1 / u0) ** (1 / (end - start)) - 1) if u0 > 0 else np.nan,
            "countries_used": len(both), "countries_total": len(base),
            "coverage_pct": 100 * base.loc[base["iso3"].isin(both), "population"].sum() / total if len(base) else np.nan,
            "filled_used": int(a.loc[both, "filled"].sum() + b.loc[both, "filled"].sum()),
            "filled_pct": 100 * base.loc[base["iso3"].isin(filled), "population"].sum() / total if len(base) else np.nan,
            "missing": ",".join(sorted(set(base["iso3"]) - set(both))), "filled": ",".join(filled)}


def _window_alone(table, pop, markets, start, end):
    return pd.DataFrame([{"market": m, **_change_alone(table, pop, codes, start, end)} for m, codes in markets.items()])


def _sensitivity_alone(share, pops, windows, policies, asean, min_coverage):
    """The reference: every variant filled, counted and tested from scratch."""
    markets, rows = net.groups(asean), []
    for vintage, pop in pops.items():
        last = min(pop["year"].max(), share["year"].max())
        for policy in policies:
            for start, end in windows:
                row = {"window": f"{start}-{end}", "gap_policy": policy, "population": vintage}
                if end > last:
                    rows.append({**row, "evaluable": False, "not evaluable": f"all (data end in {last})"})
                    continue
                table = net.users(net.fill_gaps(share, range(start, end + 1), policy), pop)
                result = _window_alone(table, pop, markets, start, end)
                me = result.set_index("market").loc["ASEAN"]
                row.update(asean_new_per_day=me["new_per_day"], asean_coverage_pct=me["coverage_pct"])
                if not net.complete(result):
                    rows.append({**row, "evaluable": False, "not evaluable": f"ASEAN (missing {me['missing']})"})
                    continue
                comp = net.fastest(result, min_coverage)
                rows.append({**row, "evaluable": True, "NET-2 tests": comp.tests,
                             "NET-2 tests met": f"{sum(v is True for v in comp.tests.values())}/{len(comp.tests)}",
                             "not evaluable": ", ".join(comp.not_evaluable)})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("policy", ["interpolate", "carry_forward"])  # the policies that fill values
def test_windows_at_once_equal_one_at_a_time_on_real_data(policy):
    pop = net.population("wdi-2024-12")
    table = net.users(net.fill_gaps(net.internet_share(), range(2005, 2024), policy), pop)
    markets = {**net.groups(ASEAN), "none": [], "unknown": ["XXX"]}
    spans = [(2015, 2020), (2019, 2023), (2022, 2023), (2005, 2006)]
    at_once = net.changes(table, pop, markets, spans)
    alone = pd.concat([_window_alone(table, pop, markets, *span) for span in spans], ignore_index=True)
    pd.testing.assert_frame_equal(at_once, alone, check_exact=True)
    assert (at_once["missing"] != "").any() and at_once["new_per_day"].isna().any()  # gaps and empty markets compared too
    yearly = net.yearly(table, pop, markets, 2018, 2023)
    pd.testing.assert_frame_equal(yearly, pd.concat([_window_alone(table, pop, markets, y - 1, y).assign(year=y)
                                                     for y in range(2019, 2024)], ignore_index=True), check_exact=True)


def test_sensitivity_equals_every_variant_computed_alone():
    share, pops = net.internet_share(), {v: net.population(v) for v in ("wdi-2024-12", "wdi-2026-07")}
    windows = [(2015, 2020), (2019, 2024), (2000, 2001), (2023, 2030)]
    asean = [*ASEAN, "SSD"]  # a member without data in some years: not-evaluable rows too
    sens = net.sensitivity(share, pops, windows, list(net.GAP_POLICIES), asean, 90)
    pd.testing.assert_frame_equal(sens, _sensitivity_alone(share, pops, windows, list(net.GAP_POLICIES), asean, 90),
                                  check_exact=True)
    assert sens["evaluable"].any() and sens["not evaluable"].str.startswith("ASEAN (missing").any()
