"""The registry is complete and valid; verdicts flip exactly at the tolerances; the ledger is reproducible."""

import pandas as pd
import pytest

from asean_analysis import claims, load, paths
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


def _claim(kind, asserted, **check):
    return claims.Claim(id="T-1", topic="t", quote="q", type="quantity", asserted=asserted, unit="u",
                        check={"kind": kind, "rationale": "test", **check}, datasets=(), notebook="nb")


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


def test_criteria_share():
    claim = _claim("criteria", True, approx_share=0.75)
    assert claims.evaluate(claim, {"a": True, "b": True, "c": True, "d": True})["verdict"] == "supported"
    assert claims.evaluate(claim, {"a": True, "b": True, "c": True, "d": False})["verdict"] == "approximately"
    result = claims.evaluate(claim, {"a": True, "b": False, "c": True, "d": False})
    assert result["verdict"] == "contradicted" and "not met: b; d" in result["reason"]
    with pytest.raises(ClaimsError, match="dict of booleans"):
        claims.evaluate(claim, {"a": 1})


def test_record_refuses_what_the_ledger_could_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("ASEAN_OUTPUT_DIR", str(tmp_path))
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
    written = {p.stem for p in paths.NOTEBOOKS.glob("*.ipynb")}
    pending = ledger[ledger["verdict"] == "pending"]
    assert not pending["notebook"].isin(written).any(), "a written notebook left its claims pending"


def test_gdp_claims_are_computed_from_data(ledger):
    for cid, rank in (("GDP-1", 5), ("GDP-2", 3)):
        row = ledger.loc[cid]
        assert row["verdict"] == "supported" and int(row["computed"]) == rank
        assert row["evidence_level"] == "recomputed from raw public data"
        assert "wdi-gdp-2024-10: WDI release of 2024-10" in row["data_vintage"]
    assert ledger.loc["DEV-1", "verdict"] == "approximately"  # Brunei is rich by GDP per head
    assert "not met: BRN below the ASEAN median GDP per head" in ledger.loc["DEV-1", "reason"]


def test_committed_ledger_is_what_a_rerun_gives(ledger):
    committed = pd.read_csv(paths.OUTPUTS / "claims_ledger.csv", keep_default_na=False).set_index("claim")
    pd.testing.assert_frame_equal(committed.astype(str), ledger.astype(str))
