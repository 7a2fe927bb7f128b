"""The registry is complete and valid; verdicts flip exactly at the tolerances; the ledger is reproducible."""

import pandas as pd
import pytest

from asean_analysis import claims, context, load, paths
from asean_analysis.errors import ClaimsError

REGISTRY = claims.registry()


def test_every_quote_stands_in_the_article():
    text = load.article()
    missing = [c.id for c in REGISTRY.values() if claims.paragraph_of(c.quote, text) == 0]
    assert missing == []


def test_registry_covers_every_section_of_the_article():
    topics = {c.topic for c in REGISTRY.values()}
    assert topics >= {"economy", "dates", "digital", "internet", "defa", "data_protection", "semiconductors", "energy", "figures"}
    assert {"FIG-1", "FIG-2", "GDP-1", "GDP-2", "NET-1", "SEMI-1", "DEFA-4"} <= set(REGISTRY)


def _claim(kind, asserted, type="quantity", definition=None, **check):
    return claims.Claim(id="T-1", topic="t", quote="q", type=type, asserted=asserted, unit="u",
                        check={"kind": kind, "rationale": "test", **check}, datasets=(), notebook="nb",
                        definition=definition or {})


def _rec(computed, evidence="raw_public_data", **extra):
    return {"status": "computed", "computed": computed, "evidence": evidence, "detail": {}, "parameters": {}, **extra}


@pytest.mark.parametrize("computed, verdict", [(263.5, "supported"), (262.5, "supported"), (263.51, "approximately"),
                                               (289.3, "approximately"), (289.31, "contradicted"), (236.0, "contradicted")])
def test_number_tolerance_boundaries(computed, verdict):
    claim = _claim("number", 263, tolerance=0.5, approx_rel=0.10)
    assert claims.evaluate(claim, computed)["verdict"] == verdict


@pytest.mark.parametrize("day, verdict", [("2023-09-01", "supported"), ("2023-12-31", "supported"),
                                          ("2024-01-31", "approximately"), ("2023-06-01", "contradicted")])
def test_date_window(day, verdict):
    claim = _claim("date", {"from": "2023-09-01", "to": "2023-12-31"}, approx_days=31)
    assert claims.evaluate(claim, day)["verdict"] == verdict


def test_criteria_share_names_the_failed_parts():
    claim = _claim("criteria", True, approx_share=0.75)
    assert claims.evaluate(claim, {"a": True, "b": True, "c": True, "d": True})["verdict"] == "supported"
    result = claims.evaluate(claim, {"a": True, "b": True, "c": True, "d": False})
    assert result["verdict"] == "partly_supported" and "not met: d" in result["reason"]
    result = claims.evaluate(claim, {"a": True, "b": False, "c": True, "d": False})
    assert result["verdict"] == "contradicted" and "not met: b; d" in result["reason"]
    with pytest.raises(ClaimsError, match="True/False/None"):
        claims.evaluate(claim, {"a": 1})


def test_a_decisive_test_without_data_makes_the_claim_not_evaluable():
    # SEMI-5's fab test was "0 % > 0 %" on a stage with no data: now None, and it decides the verdict
    claim = _claim("criteria", True, approx_share=0.5)
    result = claims.evaluate(claim, {"ATP share exceeds design share": True, "fab share exceeds design share": None})
    assert result["verdict"] == "not_evaluable"
    assert result["reason"].startswith("decisive tests lack data: fab share exceeds design share")


def test_a_missing_test_that_cannot_change_the_verdict_is_named_but_not_decisive():
    claim = _claim("criteria", True, approx_share=0.5)
    result = claims.evaluate(claim, {"a": False, "b": False, "c": False, "d": None})
    assert result["verdict"] == "contradicted" and "not evaluable (no data): d" in result["reason"]
    assert "0 of 3 evaluable criteria met" in result["reason"]


def test_nan_is_not_evaluable_not_no():
    # NET-2 with start_year=1990: growth "+nan %" used to count as "no" and made it contradicted
    claim = _claim("criteria", True, superlative=True)
    result = claims.evaluate(claim, {"faster than India": True, "faster than China": float("nan")})
    assert result["verdict"] == "not_evaluable" and "faster than China" in result["reason"]
    assert claims.evaluate(claim, {"faster than India": False, "faster than China": float("nan")})["verdict"] == "contradicted"


def test_empty_stages_do_not_count_against_the_claim():
    # FIG-1 counted stages without data as failures ("contradicted" or "approximately")
    claim = _claim("criteria", True, approx_share=0.5)
    tests = {"leaders differ": True, "evidence in 4 of 6 stages": None, "strongest stages differ": False}
    result = claims.evaluate(claim, tests)
    assert result["verdict"] == "not_evaluable" and "evidence in 4 of 6 stages" in result["reason"]
    assert "1 of 2 evaluable criteria met" in result["reason"]


def test_named_members_absent_from_the_run_are_not_evaluable():
    # SEMI-7 / FIG-2 with a member set lacking the four became "0 of 4", contradicted
    claim = _claim("criteria", True, approx_share=0.75, type="comparison", definition={"named": ["BRN", "MMR", "KHM", "LAO"]})
    rec = _rec({"BRN below": False, "MMR below": False, "KHM below": False, "LAO below": False},
               parameters={"members": ["IDN", "MYS", "PHL", "SGP", "THA", "VNM"]})
    result = claims.judge(claim, rec)
    assert result["verdict"] == "not_evaluable" and "BRN, KHM, LAO, MMR" in result["reason"]
    rec["parameters"] = {"members": ["IDN", "MYS", "BRN", "MMR", "KHM", "LAO"]}
    assert claims.judge(claim, rec)["verdict"] == "contradicted"
    rec["parameters"] = {"as_of": "1998-01-01", "members": None}  # Cambodia joined on 30 April 1999
    result = claims.judge(claim, rec)
    assert result["verdict"] == "not_evaluable" and "the claim names KHM, absent" in result["reason"]


def test_superlative_needs_every_comparator():
    # "the world's fastest-growing" with half the comparators ahead used to be "approximately"
    claim = _claim("criteria", True, superlative=True, approx_share=0.5)
    half = {"ahead of India": True, "ahead of China": True, "ahead of Africa": False, "ahead of LAC": False}
    assert claims.evaluate(claim, half)["verdict"] == "contradicted"
    assert claims.evaluate(claim, dict.fromkeys(half, True))["verdict"] == "supported"


def test_tests_that_hold_by_construction_are_not_counted():
    # a non-reporting member's reporter-view degree is capped: "below every other member" holds by construction
    claim = _claim("criteria", True, approx_share=0.75)
    tests = {"BRN below": True, "MMR below": True, "KHM below": False, "LAO below": True}
    assert claims.evaluate(claim, tests)["verdict"] == "partly_supported"
    result = claims.judge(claim, _rec(tests, detail={"by_construction": ["BRN below", "MMR below"]}))
    assert result["verdict"] == "contradicted" and "not counted (hold by construction): BRN below; MMR below" in result["reason"]


def test_agreement_with_the_cited_source_is_not_independent_support():
    claim = _claim("number", 263, tolerance=0.5, approx_rel=0.10)
    assert claims.judge(claim, _rec(263, evidence="citation_only"))["verdict"] == "matches_source"
    assert claims.judge(claim, _rec(250, evidence="arithmetic_on_citation"))["verdict"] == "approximately_matches_source"
    assert claims.judge(claim, _rec(200, evidence="citation_only"))["verdict"] == "contradicted"
    assert claims.judge(claim, _rec(263, evidence="raw_public_data"))["verdict"] == "supported"


def test_projections_are_not_verifiable_whatever_the_source_says():
    claim = _claim("number", 2.0, type="projection", tolerance=0.05)
    result = claims.judge(claim, _rec(2.0, evidence="arithmetic_on_citation"))
    assert result["verdict"] == "not_verifiable_projection" and "agrees with" in result["reason"]


def test_outdated_when_true_only_for_an_earlier_period():
    claim = _claim("number", 125000, tolerance=2500, approx_rel=0.10)
    rec = _rec(60000, earlier={"period": "2015-2020", "computed": 121000})
    result = claims.judge(claim, rec)
    assert result["verdict"] == "outdated" and "2015-2020" in result["reason"]
    rec["earlier"]["computed"] = 80000
    assert claims.judge(claim, rec)["verdict"] == "contradicted"


def test_fragility_near_a_band_edge_and_across_variants():
    # NET-1: 112,230 missed the ±10 % band by 0.2 %; the article-date vintage gives 112,782
    claim = _claim("number", 125000, tolerance=2500, approx_rel=0.10)
    result = claims.judge(claim, _rec(112230, variants={"vintage 2024-12": 112782, "vintage 2026-07": 112230}))
    assert result["verdict"] == "contradicted" and "band edge" in result["fragile"]
    assert "across the sensitivity variants" in result["fragile"]
    assert result["variant_shares"] in ("contradicted 1/2, approximately 1/2", "approximately 1/2, contradicted 1/2")
    assert claims.judge(claim, _rec(100000))["fragile"] == ""


def test_a_rerun_under_another_year_is_a_variant():
    claim = _claim("number", 5, definition={"year": 2023, "as_of": "2024-11-27"})
    assert claims.what_if(claim, {"year": 2022, "as_of": "2024-11-27", "eu_as_bloc": True}) == "year=2022"
    assert claims.what_if(claim, {"year": 2023, "as_of": "2024-11-27", "members": None}) == ""
    assert claims.what_if(claim, {"year": 2023, "members": ["IDN", "MYS"]}) == "members=IDN,MYS"


def test_every_verdict_has_a_label_and_every_reason_a_verdict():
    assert all(isinstance(label, str) and label for label in claims.VERDICTS.values())
    assert {v for v, _ in claims.REASONS.values()} <= set(claims.VERDICTS)


@pytest.fixture
def run_folder(tmp_path):
    """A run context writing into a temporary folder."""
    previous = context.use(context.Run("test", tmp_path, {}, "a test folder"))
    yield tmp_path
    context.use(previous)


def test_record_refuses_what_the_ledger_could_not_read(run_folder):
    with pytest.raises(ClaimsError, match="unknown claim 'GDP-99'"):
        claims.record("GDP-99", 5, evidence="raw_public_data", datasets=[], explanation="")
    with pytest.raises(ClaimsError, match="evidence 'hearsay'"):
        claims.record("GDP-1", 5, evidence="hearsay", datasets=[], explanation="")
    with pytest.raises(ClaimsError, match="non-finite"):
        claims.record("GDP-1", float("nan"), evidence="raw_public_data", datasets=[], explanation="")
    with pytest.raises(ClaimsError, match="reason code 'lazy'"):
        claims.record_not_verifiable("GDP-1", "lazy", explanation="", evidence="raw_public_data", datasets=[])


def test_ledger_lists_every_claim_and_leaves_none_in_error(ledger):
    assert set(ledger.index) == set(REGISTRY)
    assert not (ledger["verdict"] == "error").any()
    assert (ledger["row_kind"] == "article").all(), "the article's parameters must not produce variants"
    written = {p.stem for p in paths.NOTEBOOKS.glob("*.ipynb")}
    pending = ledger[ledger["verdict"] == "pending"]
    assert not pending["notebook"].isin(written).any(), "a written notebook left its claims pending"


def test_gdp_claims_are_computed_from_data(ledger):
    for cid, rank in (("GDP-1", 5), ("GDP-2", 3)):
        row = ledger.loc[cid]
        assert row["verdict"] == "supported" and int(row["computed"]) == rank
        assert row["evidence_level"] == "recomputed from raw public data"
        assert "wdi-gdp-2024-10: WDI release of 2024-10" in row["data_vintage"]
    assert ledger.loc["DEV-1", "verdict"] == "partly_supported"  # Brunei is rich by GDP per head
    assert "not met: BRN below the ASEAN median GDP per head" in ledger.loc["DEV-1", "reason"]


def test_committed_ledger_is_what_a_rerun_gives(ledger):
    committed = pd.read_csv(paths.OUTPUTS / "claims_ledger.csv", keep_default_na=False).set_index("claim")
    pd.testing.assert_frame_equal(committed.astype(str), ledger.astype(str))


def test_only_independent_evidence_is_labelled_supported(ledger):
    independent = {claims.EVIDENCE[e] for e in claims.INDEPENDENT}
    supported = ledger[ledger["verdict"].isin(["supported", "approximately", "partly_supported"])]
    assert set(supported["evidence_level"]) <= independent
    assert (ledger.loc[[f"DIG-{i}" for i in range(1, 7)], "verdict"] == "matches_source").all()
    assert ledger.loc["DEFA-4", "verdict"] == "not_verifiable_projection"


def test_the_registry_reads_the_same_with_the_fast_loader():
    import yaml

    text = paths.REGISTRY.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=claims.SAFE_LOADER) == yaml.safe_load(text)
